import SemsearchCore
import SemsearchEncoder


/// What to search for and how; every field has the default a plain `semsearch search` uses.
public struct SearchOptions: Sendable {
    /// Results to return.
    public var k = 10
    /// The (layer, dim) to search; nil fields mean the deepest stored layer and the full width.
    public var layer: Int?
    public var dim: Int?
    public var method = SearchMethod.automatic
    /// Path globs; when not empty only files matching one of them are searched (see `PathFilter`).
    public var paths: [String] = []
    /// Fuse FTS5 BM25 ranks with the vector ranks (reciprocal rank fusion), BM25 weighted by
    /// `keywordWeight`. On by default: it wins on every dataset measured (README § Retrieval quality).
    public var hybrid = true
    /// The weight of the BM25 ranking against the vector ranking's 1 when `hybrid`.
    public var keywordWeight = KeywordWeight.adaptive
    /// Shortlist with this smaller cell, then re-rank the shortlist at (layer, dim).
    public var funnel: MatryoshkaCell?
    /// Candidates the funnel's shortlist and each hybrid ranking contribute (at least k).
    public var candidates = 100
    /// Search early layers through their adapters (when the index has them); false searches the
    /// raw layer vectors.
    public var calibrated = true
    /// Threads for the exact scan.
    public var threads = 2

    public init() {}
}
