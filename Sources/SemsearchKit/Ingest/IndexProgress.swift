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
    /// Tokens embedded per transaction; smaller commits more often (tests use it to interrupt runs).
    public var commitTokens = 32_768

    public init() {}
}

extension SituateMode {
    /// The mode `semsearch index` uses unless told otherwise (see README for the measurement).
    public static let defaultMode = SituateMode.none
}
