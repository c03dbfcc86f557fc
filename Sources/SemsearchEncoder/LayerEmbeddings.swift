import SemsearchCore

/// The pooled vector of every encoder layer for one text: the raw material of 2D Matryoshka.
///
/// `vector(layer:dim:)` is `v(l, d) = normalize(pool_l[0..<d])`, where `pool_l` is the mean of layer l's
/// token states, or for a CLS-pooling model its first token's state (through the model's head, for a
/// model with one such as EmbeddingGemma).
public struct LayerEmbeddings: Sendable, Equatable {
    /// Number of layers.
    public let layerCount: Int
    /// Width of each layer's vector (the model's hidden size).
    public let hiddenSize: Int
    /// Un-normalized pooled vectors, layer 1 first, `layerCount × hiddenSize` values.
    public let pooled: [Float]

    public init(layerCount: Int, hiddenSize: Int, pooled: [Float]) {
        precondition(pooled.count == layerCount * hiddenSize)
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.pooled = pooled
    }

    /// The pooled vector of `layer` (1-based, 1…layerCount), un-normalized and full width.
    public func raw(layer: Int) -> ArraySlice<Float> {
        precondition((1...layerCount).contains(layer), "layer \(layer) outside 1…\(layerCount)")
        return pooled[((layer - 1) * hiddenSize)..<(layer * hiddenSize)]
    }

    /// `v(layer, dim)`: the first `dim` values of the layer's pooled vector, L2-normalized after
    /// truncation unless `normalized` is false.
    public func vector(layer: Int, dim: Int, normalized: Bool = true) -> [Float] {
        precondition((1...hiddenSize).contains(dim), "dim \(dim) outside 1…\(hiddenSize)")
        var v = Array(raw(layer: layer).prefix(dim))
        if normalized { VectorMath.normalize(&v) }
        return v
    }

    /// The model's ordinary embedding: last layer, full width, normalized.
    public var final: [Float] { vector(layer: layerCount, dim: hiddenSize) }
}
