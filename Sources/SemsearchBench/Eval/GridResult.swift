import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Quality and latency of one (layer, dim) cell on a BEIR dataset.
public struct GridResult: Sendable {
    public var cell: MatryoshkaCell
    /// Whether the cell was searched through its layer's adapter.
    public var calibrated: Bool
    public var metrics: RetrievalMetrics
    /// Median milliseconds per query: embedding it plus ranking the collection at this cell.
    public var p50Milliseconds: Double
}
