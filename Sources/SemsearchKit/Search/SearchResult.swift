import SemsearchCore
import SemsearchEncoder

/// One ranked result of a search, with everything an output format needs.
public struct SearchResult: Sendable {
    /// 1-based rank.
    public var rank: Int
    /// Cosine similarity to the query at the searched (layer, dim); with `hybrid`, the fused
    /// reciprocal-rank score instead.
    public var score: Float
    public var chunk: ChunkRecord
    /// The lines of the chunk that best match the query.
    public var snippet: Snippet
    /// How the score came about (filled for hybrid and funnel searches).
    public var explanation: ScoreExplanation
    /// The file changed (or went away) since it was indexed: the chunk may no longer be there.
    public var isStale: Bool

    public init(rank: Int, score: Float, chunk: ChunkRecord, snippet: Snippet, explanation: ScoreExplanation = ScoreExplanation(),
                isStale: Bool = false) {
        self.rank = rank
        self.score = score
        self.chunk = chunk
        self.snippet = snippet
        self.explanation = explanation
        self.isStale = isStale
    }
}
