import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Retrieval quality on a spans dataset: a result is a hit when its chunk overlaps the question's
/// byte range in the question's file.
public struct SpanMetrics: Sendable {
    public var queries: Int
    public var mrrAt10: Double
    public var recallAt1: Double
    public var recallAt5: Double
    public var recallAt10: Double
    public var p50Milliseconds: Double
}
