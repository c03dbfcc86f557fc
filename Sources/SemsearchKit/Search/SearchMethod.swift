import SemsearchCore
import SemsearchEncoder

/// How the vector candidates are found.
public enum SearchMethod: Sendable, Equatable {
    /// IVF when the index has one for the searched (layer, dim) and the search reads raw vectors
    /// (no adapter, not a `mix` index), unless that cell's vectors are already in memory — loaded
    /// by an earlier exact search, or by the screen's compare grid — where an exact scan is both
    /// cheaper and exact; exact otherwise. So after a cell is loaded, later searches there are
    /// exact rather than IVF.
    case automatic
    /// Every vector is scored.
    case exact
    /// Only the `nprobe` IVF lists nearest the query are scored.
    case ivf(nprobe: Int)
}
