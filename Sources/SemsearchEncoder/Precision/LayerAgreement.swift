import SemsearchCore

/// How closely one encoder's pooled vectors follow another's, layer by layer: the cosine of each
/// text's full-width vector of a layer to the reference's, averaged over the texts, and the worst.
/// What `bench embed --precision fp32,int8` prints and the int8 tests bound.
public struct LayerAgreement: Sendable {
    /// Per layer (index 0 = layer 1): mean cosine over the texts.
    public let meanCosine: [Double]
    /// Per layer: the lowest cosine of any text.
    public let minimumCosine: [Double]

    /// Compares `candidate` with `reference`, text by text (same texts, same order, same depth).
    public init(reference: [LayerEmbeddings], candidate: [LayerEmbeddings]) {
        precondition(reference.count == candidate.count && !reference.isEmpty)
        let layers = reference[0].layerCount
        var means: [Double] = [], minimums: [Double] = []
        for layer in 1...layers {
            var sum = 0.0, lowest = 1.0
            for (r, c) in zip(reference, candidate) {
                let cosine = VectorMath.cosine(r.raw(layer: layer), c.raw(layer: layer))
                sum += cosine
                lowest = min(lowest, cosine)
            }
            means.append(sum / Double(reference.count))
            minimums.append(lowest)
        }
        meanCosine = means
        minimumCosine = minimums
    }

    /// The last layer's mean cosine: the model's ordinary embedding.
    public var finalMeanCosine: Double { meanCosine.last ?? 1 }
    /// The lowest cosine of any text at the last layer.
    public var finalMinimumCosine: Double { minimumCosine.last ?? 1 }
    /// The lowest per-layer mean.
    public var worstLayerMeanCosine: Double { meanCosine.min() ?? 1 }
}
