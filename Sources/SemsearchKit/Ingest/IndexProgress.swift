import SemsearchCore
import SemsearchEncoder

/// Where an indexing run is: `crawling` as each root's crawl starts, `embedding` after every
/// committed batch.
public struct IndexProgress: Sendable {
    public enum Stage: String, Sendable { case crawling, embedding }
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
