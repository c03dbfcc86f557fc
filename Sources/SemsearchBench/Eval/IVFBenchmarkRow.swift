import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// IVF at one nprobe, measured against exact search.
public struct IVFBenchmarkRow: Sendable {
    public var nlist: Int
    public var nprobe: Int
    /// Mean fraction of the exact top-k that IVF returned.
    public var recallAtK: Double
    /// Mean fraction of all vectors whose score was computed.
    public var scannedFraction: Double
    public var latency: LatencySummary
}
