import SemsearchKit

/// A search in every cell of `layers` × `dims`, ranked against `reference`.
public struct CompareRequest: Equatable, Sendable {
    public var generation: Int
    public var query: String
    public var layers: [Int]
    public var dims: [Int]
    public var reference: MatryoshkaCell
    public var calibrated: Bool
    public var k: Int
}
