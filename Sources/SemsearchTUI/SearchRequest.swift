import SemsearchKit

/// A search at one cell.
public struct SearchRequest: Equatable, Sendable {
    public var generation: Int
    public var query: String
    public var layer: Int
    public var dim: Int
    public var calibrated: Bool
    public var k: Int
}
