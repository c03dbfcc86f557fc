import SemsearchKit

/// The outcome of one search request, delivered to the state machine by the search worker.
public struct SearchAnswer: Sendable {
    /// The request's generation: answers older than the one shown are dropped.
    public var generation: Int
    public var query: String
    public var cell: MatryoshkaCell
    /// Whether the cell was searched through its layer's adapter.
    public var calibrated: Bool
    public var results: [SearchResult]
    /// `exact`, `ivf nprobe 8/256`, …
    public var method: RankingMethod
    /// Embedding plus ranking, in milliseconds.
    public var milliseconds: Double
    /// Why the search failed (a user-facing sentence), when it did.
    public var error: String?
    /// Whether a watcher was keeping the index current when the search ran (nil: not looked at).
    public var watcherRunning: Bool?

    public init(generation: Int, query: String, cell: MatryoshkaCell, calibrated: Bool = false, results: [SearchResult] = [],
                method: RankingMethod = RankingMethod(vectors: .exact), milliseconds: Double = 0, error: String? = nil) {
        self.generation = generation
        self.query = query
        self.cell = cell
        self.calibrated = calibrated
        self.results = results
        self.method = method
        self.milliseconds = milliseconds
        self.error = error
    }
}
