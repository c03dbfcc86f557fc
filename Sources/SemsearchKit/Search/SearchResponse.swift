import SemsearchCore
import SemsearchEncoder

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
