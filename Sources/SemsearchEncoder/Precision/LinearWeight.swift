import SemsearchCore
import CBLAS

/// A PyTorch `Linear` weight (outputs × inputs) as a forward pass multiplies by it: fp32 through
/// OpenBLAS or int8 through `Int8Matrix`, chosen once at load by `EncoderPrecision`.
struct LinearWeight: Sendable {
    enum Storage: Sendable {
        case fp32(FloatBuffer)
        case int8(Int8Matrix)
    }

    let storage: Storage
    let outputs: Int
    let inputs: Int
    /// Where the weight sits, as `ActivationOutliers` reports it: `L3 ffn.down`.
    let label: String

    /// Wraps loaded fp32 weights, quantizing them for `int8` (a temporary fp32 copy is then released)
    /// with `activations` the width its inputs are quantized to.
    init(_ weights: FloatBuffer, outputs: Int, inputs: Int, precision: EncoderPrecision, activations: ActivationWidth, label: String) {
        self.label = label
        precondition(weights.count == outputs * inputs)
        self.outputs = outputs
        self.inputs = inputs
        switch precision {
        case .fp32: storage = .fp32(weights)
        case .int8: storage = .int8(Int8Matrix(quantizing: weights.pointer, outputs: outputs, inputs: inputs, activations: activations))
        }
    }

    /// A checkpoint's `parts` (tensor name, rows; each `inputs` wide) stacked into one weight of
    /// `precision` (int8 inputs quantized to `activations`), read with `load(name, shape, buffer, offset)`: into `arena` for fp32, else into
    /// a temporary buffer that is quantized and released.
    static func stacking(_ parts: [(name: String, rows: Int)], inputs: Int, precision: EncoderPrecision, activations: ActivationWidth,
                         arena: WeightArena, label: String, load: (String, [Int], FloatBuffer, Int) throws -> Void) throws -> LinearWeight {
        let outputs = parts.reduce(0) { $0 + $1.rows }
        let buffer = precision == .fp32 ? FloatBuffer(arena: arena, count: outputs * inputs) : FloatBuffer(uninitializedCount: outputs * inputs)
        var offset = 0
        for part in parts {
            try load(part.name, [part.rows, inputs], buffer, offset)
            offset += part.rows * inputs
        }
        return LinearWeight(buffer, outputs: outputs, inputs: inputs, precision: precision, activations: activations, label: label)
    }

    /// C[rows × outputs] = A·Wᵀ, or C += A·Wᵀ with `accumulate` (A is rows × inputs, row-major).
    func multiply(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>, accumulate: Bool, scratch: Int8Scratch) {
        multiply(.rows(a), rows: rows, into: c, accumulate: accumulate, scratch: scratch)
    }

    /// C = X·Wᵀ (+ C with `accumulate`) (+ `bias`, `outputs` floats, on every row) for the input X
    /// (A or its activation, rows × inputs). The int8 byte kernels add the bias in their epilogue; fp32
    /// copies it into C first and lets sgemm add to it.
    func multiply(_ input: ProductInput, rows: Int, into c: UnsafeMutablePointer<Float>, accumulate: Bool,
                  bias: UnsafePointer<Float>? = nil, scratch: Int8Scratch) {
        var input = input
        if ActivationOutliers.isRecording || !storage.appliesActivationWhileQuantizing(input) {
            switch input {
            case .rows: break
            case .geluOf(let a):
                Kernels.gelu(a, count: rows * inputs)
                input = .rows(a)
            case .gatedGELUOf(let gateUp, let scratch):
                Kernels.gatedGELU(gateUp, into: scratch, rows: rows, width: inputs)
                input = .rows(scratch)
            }
        }
        if ActivationOutliers.isRecording, case .rows(let a) = input { ActivationOutliers.record(label, a, rows: rows, width: inputs) }
        switch storage {
        case .fp32(let w):
            guard case .rows(let a) = input else { preconditionFailure("fp32 applies the activation as a pass of its own") }
            var beta: Float = accumulate ? 1 : 0
            if let bias {
                Self.add(bias, toRows: rows, of: c, width: outputs, replacing: !accumulate)
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                        1, a, Int32(inputs), w.pointer, Int32(inputs), beta, c, Int32(outputs))
        case .int8(let w):
            w.multiply(input, rows: rows, into: c, accumulate: accumulate, bias: bias, scratch: scratch)
        }
    }

    /// Each of `rows` rows of `c` (`width` wide) set to `bias` (`replacing`) or increased by it.
    static func add(_ bias: UnsafePointer<Float>, toRows rows: Int, of c: UnsafeMutablePointer<Float>, width: Int, replacing: Bool) {
        for r in 0..<rows {
            if replacing { (c + r * width).update(from: bias, count: width) } else { Kernels.accumulate(bias, into: c + r * width, count: width) }
        }
    }
}

extension LinearWeight.Storage {
    /// Whether the product applies `input`'s activation while quantizing it (int8 only: see
    /// `Int8Matrix.appliesActivationWhileQuantizing`).
    func appliesActivationWhileQuantizing(_ input: ProductInput) -> Bool {
        if case .int8(let w) = self { return w.appliesActivationWhileQuantizing(input) }
        return false
    }
}
