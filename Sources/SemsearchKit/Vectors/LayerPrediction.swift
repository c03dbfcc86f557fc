/// How a layer's vector is predicted from the next deeper stored layer's, dimension by dimension.
///
/// A transformer keeps each dimension's residual stream from layer to layer, so a pooled vector's
/// dimension follows the same dimension one layer deeper (correlation about 0.8 between MiniLM's
/// layers). Quantizing only what the deeper layer does not predict leaves about half the range to
/// cover with the same codes, so the error is about halved: a bit a dimension for free. Being per
/// dimension, it keeps Matryoshka prefixes: the first `d` dims decode from the first `d` of the base.
public struct LayerPrediction: Sendable, Equatable {
    /// The deeper layer whose decoded vector predicts this one.
    public let baseLayer: Int
    /// Least-squares weight of each dimension of the base (0 where the base dimension is constant).
    public let weights: [Float]

    public init(baseLayer: Int, weights: [Float]) {
        self.baseLayer = baseLayer
        self.weights = weights
    }

    /// Fits the weights on aligned rows: `rows` of the layer and `base` rows of `baseLayer` (as
    /// decoded), both `count × width`, row-major. The residual's mean is left to the quantizer's range.
    public static func fit(rows: [Float], base: [Float], width: Int, baseLayer: Int) -> LayerPrediction {
        let count = rows.count / width
        precondition(count > 0 && base.count == rows.count)
        var weights = [Float](repeating: 0, count: width)
        for i in 0..<width {
            var meanX = 0.0, meanB = 0.0
            for r in 0..<count { meanX += Double(rows[r * width + i]); meanB += Double(base[r * width + i]) }
            meanX /= Double(count); meanB /= Double(count)
            var covariance = 0.0, variance = 0.0
            for r in 0..<count {
                let b = Double(base[r * width + i]) - meanB
                covariance += (Double(rows[r * width + i]) - meanX) * b
                variance += b * b
            }
            weights[i] = variance > 1e-12 * Double(count) ? Float(covariance / variance) : 0
        }
        return LayerPrediction(baseLayer: baseLayer, weights: weights)
    }

    /// What the prediction leaves of `rows` (aligned with `base`): `rows − weights ⊙ base`.
    func residual(of rows: [Float], base: [Float]) -> [Float] {
        let width = weights.count
        var out = rows
        for index in out.indices { out[index] -= weights[index % width] * base[index] }
        return out
    }
}
