import SemsearchCore
import SemsearchEncoder
import CBLAS

/// An affine map `y = W x + b` between vector spaces, applied to many rows with one GEMM.
public struct LinearMap: Sendable, Equatable {
    public let inputDim: Int
    public let outputDim: Int
    /// `outputDim × inputDim`, row-major: row j holds the weights of output j.
    public let weights: [Float]
    public let bias: [Float]

    public init(inputDim: Int, outputDim: Int, weights: [Float], bias: [Float]) {
        precondition(weights.count == inputDim * outputDim && bias.count == outputDim)
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.weights = weights
        self.bias = bias
    }

    /// The map applied to `count` rows of `inputDim` values; `count × outputDim` values.
    public func apply(rows: [Float], count: Int) -> [Float] {
        precondition(rows.count == count * inputDim)
        guard count > 0 else { return [] }
        var out = [Float](repeating: 0, count: count * outputDim)
        for r in 0..<count { out.replaceSubrange((r * outputDim)..<((r + 1) * outputDim), with: bias) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(outputDim), Int32(inputDim), 1,
                    rows, Int32(inputDim), weights, Int32(inputDim), 1, &out, Int32(outputDim))
        return out
    }

    /// The map applied to one vector.
    public func apply(_ x: [Float]) -> [Float] { apply(rows: x, count: 1) }
}
