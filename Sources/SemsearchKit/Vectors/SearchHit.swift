import SemsearchCore
import SemsearchEncoder

/// One search result: a chunk and its cosine similarity to the query.
public struct SearchHit: Sendable, Equatable {
    public var chunkID: Int64
    public var score: Float

    public init(chunkID: Int64, score: Float) {
        self.chunkID = chunkID
        self.score = score
    }
}
