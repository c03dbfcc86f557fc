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

    public init(rank: Int, score: Float, chunk: ChunkRecord, snippet: Snippet, explanation: ScoreExplanation = ScoreExplanation()) {
        self.rank = rank
        self.score = score
        self.chunk = chunk
        self.snippet = snippet
        self.explanation = explanation
    }
}

/// The parts of a result's rank, for `--explain`.
public struct ScoreExplanation: Sendable, Equatable {
    /// Cosine similarity at the searched (layer, dim).
    public var vectorScore: Float?
    /// 1-based rank among the vector candidates; nil when the chunk was not among them.
    public var vectorRank: Int?
    /// 1-based BM25 rank among the keyword candidates (hybrid only).
    public var keywordRank: Int?
    /// Reciprocal-rank-fusion score (hybrid only).
    public var fusedScore: Float?
    /// Cosine similarity in the funnel's shortlist cell, and the rank there.
    public var shortlistScore: Float?
    public var shortlistRank: Int?

    public init() {}
}

/// The answer to one query.
public struct SearchResponse: Sendable {
    public var query: String
    public var cell: MatryoshkaCell
    /// Whether the cell was searched through its layer's adapter.
    public var calibrated: Bool
    public var results: [SearchResult]
    /// How the results were ranked (exact, IVF, funnel; BM25 fused or not).
    public var method: RankingMethod
    /// Vectors whose score was computed.
    public var scanned: Int
    /// Milliseconds spent embedding the query and searching (ranking plus fetching chunks).
    public var embedMilliseconds: Double
    public var searchMilliseconds: Double
}
