import SemsearchCore
import SemsearchEncoder

/// One ranked result of a search, with everything an output format needs.
public struct SearchResult: Sendable {
    /// 1-based rank.
    public var rank: Int
    /// Cosine similarity to the query at the searched (layer, dim), in every ranking, so a
    /// threshold such as `score > 0.5` means the same in every query. A hybrid ranking orders
    /// results by ``relevance``, so down a hybrid list the cosine need not fall.
    public var score: Float
    /// What the results are ordered by, never rising down the list: the cosine for a vector
    /// ranking; for a hybrid one the fused reciprocal-rank score over the most any result can
    /// get (first in both rankings), so 1 is first by meaning and by keywords. This is the number
    /// the terminal, grep-style lines and the screen print beside a result.
    public var relevance: Float
    public var chunk: ChunkRecord
    /// The lines of the chunk that best match the query.
    public var snippet: Snippet
    /// How the score came about: the cosine always, and its rank among the vector candidates when
    /// it was one (a hit only the keywords found has none); the BM25 rank and fused score of a
    /// hybrid search; the shortlist score and rank of a funnel search.
    public var explanation: ScoreExplanation
    /// The file changed (or went away) since it was indexed: the chunk may no longer be there.
    public var isStale: Bool

    /// `relevance` nil means the ranking was by `score`.
    public init(rank: Int, score: Float, relevance: Float? = nil, chunk: ChunkRecord, snippet: Snippet,
                explanation: ScoreExplanation = ScoreExplanation(), isStale: Bool = false) {
        self.rank = rank
        self.score = score
        self.relevance = relevance ?? score
        self.chunk = chunk
        self.snippet = snippet
        self.explanation = explanation
        self.isStale = isStale
    }
}
