/// Where an indexing run is, reported after the crawl and after every committed batch.
public struct IndexProgress: Sendable {
    public enum Stage: String, Sendable { case crawling, embedding, done }
    public var stage: Stage
    public var root: String
    /// Files to (re)read in this root, and how many are done.
    public var filesTotal: Int
    public var filesDone: Int
    public var chunksDone: Int
    public var tokensDone: Int
    /// Seconds since the embedding stage of this root began.
    public var seconds: Double

    public var tokensPerSecond: Double { seconds > 0 ? Double(tokensDone) / seconds : 0 }
}

/// What an indexing run did.
public struct IndexSummary: Sendable {
    public var filesSeen = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var removed = 0
    public var chunks = 0
    /// Tokens the encoder ran, special tokens and situating context included (as `bench embed` counts).
    public var tokens = 0
    public var seconds = 0.0
    public var skipped: [String: Int] = [:]
    public var warnings: [String] = []
    /// True when the run stopped early (Ctrl-C); what was committed stays.
    public var interrupted = false
    /// The IVF index after the run (nil: exact search only).
    public var ivf: IVFState?
    /// Layer adapters fitted by this run (nil: none needed refitting, or none possible).
    public var calibrated: [LayerAdapter]?
    /// How well the vocabulary read the whole index (this run and earlier ones).
    public var coverage = VocabularyCoverage()
    /// Set when most of the index's text is outside the model's vocabulary: say it once, name the fix.
    public var vocabularyWarning: String?
}

/// Settings of an indexing run.
public struct IndexOptions: Sendable {
    public var chunkTokens = 128
    public var overlap = 16
    public var situate = SituateMode.defaultMode
    /// Layers to store (1-based); nil stores every layer.
    public var layers: [Int]?
    public var maxFileSize = 10 << 20
    public var threads = 2
    /// When to build an IVF index; nil keeps what the database was last told (default `auto`).
    public var ivf: IVFSetting?
    /// Early exit: run only the first K layers for the bulk of the corpus (nil: all). The first
    /// `calibrationSample` chunks are encoded at full depth so adapters can map layers 1…K to the
    /// final embedding.
    public var encodeLayers: Int?
    public var calibrationSample = 500
    /// Fit layer adapters at the end of a run when the collection changed by more than
    /// `LayerCalibration.refitChange` since the last fit (or was never fitted).
    public var calibrate = true
    /// Rotate the final embedding onto its principal axes when calibrating (nil: as before).
    public var principalAxes: Bool?
    /// Tokens embedded per transaction; smaller commits more often (tests use it to interrupt runs).
    public var commitTokens = 32_768
    /// Document titles for situating, by absolute file path; files not listed use their name
    /// without extension. (`eval` gives BEIR documents their own titles this way.)
    public var titles: [String: String] = [:]

    public init() {}
}
