import SemsearchCore
import SemsearchEncoder

/// How the vector candidates are found.
public enum SearchMethod: Sendable, Equatable {
    /// IVF when the index has one for the searched (layer, dim), exact otherwise.
    case automatic
    /// Every vector is scored.
    case exact
    /// Only the `nprobe` IVF lists nearest the query are scored.
    case ivf(nprobe: Int)
}
