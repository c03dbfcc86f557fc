import SemsearchCore
import SemsearchEncoder

/// How a response's results were ranked: the vector stage, and whether BM25 was fused in.
/// Its `description` is what status lines and `--explain` print (`exact`, `ivf nprobe 8/120`,
/// `funnel L2/d32→L6/d384`, `binary shortlist 2000 + exact`, `server ivfflat probes 32/1000`, each
/// optionally `+ bm25`).
public struct RankingMethod: Sendable, Equatable, CustomStringConvertible {
    /// The vector stage.
    public enum Vectors: Sendable, Equatable {
        /// Every vector scored.
        case exact
        /// The `probes` IVF lists nearest the query, of `lists`.
        case ivf(probes: Int, lists: Int)
        /// A shortlist at the `shortlist` cell, re-ranked at the searched cell.
        case funnel(shortlist: MatryoshkaCell, full: MatryoshkaCell)
        /// The `size` vectors nearest by sign bits (Hamming distance), rescored exactly.
        case binaryShortlist(size: Int)
        /// The database server's own nearest-neighbour index, as it describes itself.
        case server(String)
    }

    public var vectors: Vectors
    /// Whether FTS5 BM25 ranks were fused with the vector ranks (reciprocal rank fusion).
    public var fusesKeywords: Bool

    public init(vectors: Vectors, fusesKeywords: Bool = false) {
        self.vectors = vectors
        self.fusesKeywords = fusesKeywords
    }

    public var isFunnel: Bool { if case .funnel = vectors { true } else { false } }

    /// The vector stage in words, without the keyword part.
    public var vectorDescription: String {
        switch vectors {
        case .exact: return "exact"
        case .ivf(let probes, let lists): return "ivf nprobe \(probes)/\(lists)"
        case .funnel(let shortlist, let full): return "funnel \(shortlist)→\(full)"
        case .binaryShortlist(let size): return "binary shortlist \(size) + exact"
        case .server(let method): return "server \(method)"
        }
    }

    public var description: String { vectorDescription + (fusesKeywords ? " + bm25" : "") }
}
