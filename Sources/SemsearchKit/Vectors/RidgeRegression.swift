import SemsearchCore
import SemsearchEncoder
import CBLAS
import Foundation

/// Ridge-regularized least squares for an affine map from `X` to `Y`, solved by a Cholesky
/// factorization of the centred normal equations (LAPACK `spotrf`/`spotrs` on OpenBLAS):
///
///     W = (Xcᵀ Xc + λ I)⁻¹ Xcᵀ Yc,   b = ȳ − W x̄
///
/// λ is `lambda` times the mean diagonal of Xcᵀ Xc, so the regularization scales with the data.
/// With `towardIdentity` (square maps) the penalty pulls W toward I rather than 0.
public enum RidgeRegression {
    /// Fits the map from `count` rows of `inputs` (`inputDim` wide) to `targets` (`outputDim`
    /// wide) and returns it with its mean squared residual per row.
    public static func fit(inputs: [Float], targets: [Float], count: Int, inputDim p: Int, outputDim q: Int,
                           lambda: Float = 1e-3, towardIdentity: Bool = false) throws -> (map: LinearMap, meanSquaredResidual: Double) {
        precondition(inputs.count == count * p && targets.count == count * q)
        guard count >= 16 else { throw CalibrationError.tooFewSamples(count) }
        if towardIdentity {
            // Shrink toward W = I instead of W = 0: fit the difference Y − X, then add the identity.
            precondition(p == q)
            var difference = targets
            for i in 0..<(count * q) { difference[i] -= inputs[i] }
            let delta = try fit(inputs: inputs, targets: difference, count: count, inputDim: p, outputDim: q, lambda: lambda)
            var weights = delta.map.weights
            for i in 0..<p { weights[i * p + i] += 1 }
            let map = LinearMap(inputDim: p, outputDim: q, weights: weights, bias: delta.map.bias)
            return (map, delta.meanSquaredResidual)
        }
        let xMean = columnMeans(inputs, count: count, width: p)
        let yMean = columnMeans(targets, count: count, width: q)
        var xc = inputs, yc = targets
        for r in 0..<count {
            for j in 0..<p { xc[r * p + j] -= xMean[j] }
            for j in 0..<q { yc[r * q + j] -= yMean[j] }
        }
        // A = Xcᵀ Xc + λ I (p × p, symmetric, so its row- and column-major forms agree).
        var a = [Float](repeating: 0, count: p * p)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(p), Int32(count), 1, xc, Int32(p), xc, Int32(p), 0, &a, Int32(p))
        let meanDiagonal = (0..<p).reduce(Float(0)) { $0 + a[$1 * p + $1] } / Float(p)
        let ridge = max(lambda * meanDiagonal, Float.leastNormalMagnitude)
        for i in 0..<p { a[i * p + i] += ridge }
        // Bᵀ = Ycᵀ Xc (q × p row-major) is B = Xcᵀ Yc in the column-major layout LAPACK reads.
        var solution = [Float](repeating: 0, count: q * p)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(q), Int32(p), Int32(count), 1, yc, Int32(q), xc, Int32(p), 0, &solution, Int32(p))
        var n = Int32(p), nrhs = Int32(q), info: Int32 = 0
        var upper = CChar(UInt8(ascii: "U"))
        spotrf_(&upper, &n, &a, &n, &info)
        guard info == 0 else { throw CalibrationError.notPositiveDefinite }
        spotrs_(&upper, &n, &nrhs, a, &n, &solution, &n, &info)
        guard info == 0 else { throw CalibrationError.notPositiveDefinite }
        // The solution is W in column-major p × q, i.e. row j (of q) holds output j's weights.
        var bias = yMean
        for j in 0..<q {
            var dot: Float = 0
            for i in 0..<p { dot += solution[j * p + i] * xMean[i] }
            bias[j] -= dot
        }
        let map = LinearMap(inputDim: p, outputDim: q, weights: solution, bias: bias)
        let predicted = map.apply(rows: inputs, count: count)
        var squared = 0.0
        for i in 0..<(count * q) { let d = Double(predicted[i] - targets[i]); squared += d * d }
        return (map, squared / Double(count))
    }

    static func columnMeans(_ rows: [Float], count: Int, width: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: width)
        for r in 0..<count { for j in 0..<width { sums[j] += Double(rows[r * width + j]) } }
        return sums.map { Float($0 / Double(count)) }
    }
}
