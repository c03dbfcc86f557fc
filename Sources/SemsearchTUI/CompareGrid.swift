import SemsearchKit

/// The compare view's data for one query: every (layer, dim) cell's top results beside the full
/// model's, and how much of the full model's top-k each cell finds (overlap@k).
public struct CompareGrid: Sendable {
    /// One cell's answer.
    public struct Entry: Sendable {
        public var results: [SearchResult]
        /// Ranking time in the cell, in milliseconds (the query is embedded once for all cells).
        public var milliseconds: Double
        public var calibrated: Bool

        public init(results: [SearchResult], milliseconds: Double, calibrated: Bool) {
            self.results = results
            self.milliseconds = milliseconds
            self.calibrated = calibrated
        }
    }

    public var generation: Int
    public var query: String
    /// The reference: the deepest stored layer at full width.
    public var reference: MatryoshkaCell
    public var entries: [MatryoshkaCell: Entry]
    /// Milliseconds to embed the query (all layers in one pass).
    public var embedMilliseconds: Double
    /// False while cells are still being searched (a first load reads every cell's vectors).
    public var complete: Bool
    public var error: String?

    public init(generation: Int, query: String, reference: MatryoshkaCell, entries: [MatryoshkaCell: Entry] = [:],
                embedMilliseconds: Double = 0, complete: Bool = true, error: String? = nil) {
        self.generation = generation
        self.query = query
        self.reference = reference
        self.entries = entries
        self.embedMilliseconds = embedMilliseconds
        self.complete = complete
        self.error = error
    }

    /// How many of the reference's top `k` chunks are among `cell`'s top `k`; nil until both are in.
    public func overlap(at cell: MatryoshkaCell, k: Int = 10) -> Int? {
        guard let entry = entries[cell], let full = entries[reference] else { return nil }
        return Self.overlap(entry.results.prefix(k).map(\.chunk.id), full.results.prefix(k).map(\.chunk.id))
    }

    /// How many results the overlap is out of: k, or fewer when the index has fewer chunks.
    public func depth(k: Int = 10) -> Int { min(k, entries[reference]?.results.count ?? k) }

    /// |a ∩ b| for two rankings.
    public static func overlap(_ a: [Int64], _ b: [Int64]) -> Int { Set(a).intersection(b).count }

    /// How a result of `cell` moved against the reference: positive when the cell ranks it higher
    /// (better) than the full model, nil when the full model's top-k does not have it.
    public func rankChange(of chunkID: Int64, rank: Int, k: Int = 10) -> Int? {
        guard let full = entries[reference]?.results.prefix(k),
              let fullRank = full.firstIndex(where: { $0.chunk.id == chunkID }).map({ $0 - full.startIndex + 1 }) else { return nil }
        return fullRank - rank
    }
}
