import SemsearchCore
import SemsearchEncoder

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
