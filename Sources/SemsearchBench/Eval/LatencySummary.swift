import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Latency figures of a run of queries.
public struct LatencySummary: Sendable {
    public var p50Milliseconds: Double
    public var p95Milliseconds: Double
    public var p99Milliseconds: Double
    public var maxMilliseconds: Double
    public var queriesPerSecond: Double

    /// Summarizes per-query times in milliseconds.
    public init(milliseconds: [Double]) {
        let sorted = milliseconds.sorted()
        func percentile(_ q: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * q).rounded(.up)) - 1))]
        }
        p50Milliseconds = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        p95Milliseconds = percentile(0.95)
        p99Milliseconds = percentile(0.99)
        maxMilliseconds = sorted.last ?? 0
        let total = sorted.reduce(0, +)
        queriesPerSecond = total > 0 ? Double(sorted.count) * 1000 / total : 0
    }
}
