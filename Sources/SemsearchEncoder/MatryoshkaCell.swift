import SemsearchCore

/// One cell of the 2D Matryoshka grid: a layer (1-based) and a prefix dimension.
public struct MatryoshkaCell: Hashable, Sendable, CustomStringConvertible {
    public var layer: Int
    public var dim: Int

    public init(layer: Int, dim: Int) {
        self.layer = layer
        self.dim = dim
    }

    /// Parses `L:d`, e.g. `2:64`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let layer = Int(parts[0]), let dim = Int(parts[1]) else { return nil }
        self.init(layer: layer, dim: dim)
    }

    public var description: String { "L\(layer)/d\(dim)" }

    /// The prefix dims compared by default for a model `width` wide: the powers of two from 32
    /// below the width (EmbeddingGemma's trained Matryoshka sizes 128, 256, 512 among them) and the
    /// full width.
    public static func standardDims(width: Int) -> [Int] {
        var dims: [Int] = []
        var d = 32
        while d < width { dims.append(d); d *= 2 }
        return dims + [width]
    }
}
