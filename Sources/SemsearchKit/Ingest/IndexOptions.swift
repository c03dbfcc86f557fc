import SemsearchCore
import SemsearchEncoder

/// Settings of an indexing run.
public struct IndexOptions: Sendable {
    /// Content tokens per chunk. 64 is the default by measurement (README § Retrieval quality):
    /// small chunks find the sentence that answers, and short documents stay whole anyway
    /// (`Chunker.shortDocumentTokens`).
    public var chunkTokens = 64
    public var overlap = 16
    public var situate = SituateMode.defaultMode
    /// Layers to store (1-based); nil: the model's default (``ModelDescriptor/defaultStoredLayers``),
    /// every layer of a model up to 12 deep, four evenly spaced ones of a deeper one.
    public var layers: [Int]?
    public var maxFileSize = 10 << 20
    /// Index lock files and minified assets, which the crawler skips by default (``GeneratedFiles``).
    public var includeGenerated = false
    public var threads = 2
    /// When to build an IVF index; nil keeps what the database was last told (default `auto`).
    public var ivf: IVFSetting?
    /// How vectors are stored; nil keeps what the database was last told (a new index:
    /// `VectorFormat.defaultFormat`; an index from before formats existed: fp16).
    public var vectorFormat: VectorFormat?
    /// Early exit: run only the first K layers for the bulk of the corpus (nil: all). Whole batches
    /// are encoded at full depth until at least `calibrationSample` chunks (counting targets already
    /// stored) have final-layer targets, so adapters can map layers 1…K to the final embedding.
    public var encodeLayers: Int?
    public var calibrationSample = 500
    /// Fit layer adapters at the end of a run when the collection changed by more than
    /// `LayerCalibration.refitChange` since the last fit (or was never fitted).
    public var calibrate = true
    /// Rotate the final embedding onto its principal axes when calibrating (nil: as before).
    public var principalAxes: Bool?
    /// Tokens embedded per transaction; smaller commits more often (tests use it to interrupt runs).
    public var commitTokens = 32_768
    /// Chunks stored in fp16 before a run fits the vector format's quantizers and stores codes from
    /// then on (refitting as the collection doubles), so a first index never grows far past its
    /// final size (``VectorCompaction/compactIfDue(store:format:layers:width:chunks:)``).
    public var earlyCompactionChunks = VectorCompaction.earlyFitChunks
    /// Document titles for situating, by absolute file path; files not listed use their name
    /// without extension when their text bears it out (`DocumentTitle.derived`). (`eval` gives
    /// BEIR documents their own titles this way.)
    public var titles: [String: String] = [:]

    public init() {}
}
