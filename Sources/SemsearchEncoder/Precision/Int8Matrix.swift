import SemsearchCore
import CPUFeatures
import Dispatch

/// A `Linear` weight (outputs × inputs) quantized to int8, packed in the layout its kernel reads:
/// quads with one scale per output channel and block of 32 inputs for the 8-bit-block VNNI kernel
/// (`Int8BlockGEMM.h`), quads with one scale per output channel for the per-token VNNI kernel
/// (`Int8ByteGEMM.h`), pairs with one scale per output channel for the 16-bit kernels
/// (`Int8GEMM.h`). A quarter of the fp32 weight's memory on the byte kernels (block scales and sums
/// add an eighth of that); half on the 16-bit kernels, which store the int8 values 16 bits wide.
final class Int8Matrix: @unchecked Sendable {
    // Written once in `init`, read-only afterwards and shared by every worker's pass.
    let outputs: Int
    let inputs: Int
    let activations: ActivationWidth
    /// Whether products run on a byte kernel: 8-bit activations on a CPU with AVX-512 VNNI.
    let usesByteKernel: Bool
    /// The byte kernels' quads, or nil on the 16-bit kernels.
    private let packedQuads: UnsafeMutablePointer<Int8>?
    /// The 16-bit kernels' pairs, or nil on the byte kernels.
    private let packedPairs: UnsafeMutablePointer<Int16>?
    /// Per output channel, or per output channel and block of k for the block kernel.
    private let scales: UnsafeMutablePointer<Float>
    /// Each output channel's weight sum, for the per-token byte kernel's offset correction (else unused).
    private let columnSums: UnsafeMutablePointer<Int32>
    /// −128 · each output channel's weight sum per block of k, for the block kernel (else nil).
    private let blockSums: UnsafeMutablePointer<Int32>?

    /// Quantizes the fp32 matrix at `weights` (row-major, outputs × inputs).
    init(quantizing weights: UnsafePointer<Float>, outputs: Int, inputs: Int, activations: ActivationWidth) {
        self.outputs = outputs
        self.inputs = inputs
        self.activations = activations
        usesByteKernel = activations != .bits16 && semsearch_int8_byte_kernel_available() != 0
        let channels = max(1, semsearch_int8_weight_scales_count(outputs))
        if usesByteKernel, activations == .bits8Blocks {
            let count = max(1, semsearch_int8_block_weights_count(outputs, inputs))
            let packed = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, semsearch_int8_packed_weight_quads_size(outputs, inputs)))
            scales = .allocate(capacity: count)
            let sums = UnsafeMutablePointer<Int32>.allocate(capacity: count)
            semsearch_int8_pack_weight_blocks(weights, outputs, inputs, packed, scales, sums)
            (packedQuads, packedPairs) = (packed, nil)
            blockSums = sums
            columnSums = .allocate(capacity: 1)
        } else if usesByteKernel {
            let packed = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, semsearch_int8_packed_weight_quads_size(outputs, inputs)))
            scales = .allocate(capacity: channels)
            columnSums = .allocate(capacity: channels)
            semsearch_int8_pack_weight_quads(weights, outputs, inputs, packed, scales, columnSums)
            (packedQuads, packedPairs) = (packed, nil)
            blockSums = nil
        } else {
            let packed = UnsafeMutablePointer<Int16>.allocate(capacity: max(1, semsearch_int8_packed_weights_count(outputs, inputs)))
            scales = .allocate(capacity: channels)
            columnSums = .allocate(capacity: 1)
            semsearch_int8_pack_weights(weights, outputs, inputs, packed, scales)
            (packedQuads, packedPairs) = (nil, packed)
            blockSums = nil
        }
    }

    deinit {
        packedQuads?.deallocate()
        packedPairs?.deallocate()
        scales.deallocate()
        columnSums.deallocate()
        blockSums?.deallocate()
    }

    /// Whether `multiply` applies `input`'s activation while quantizing it: GELU and GeGLU on the
    /// 8-bit-block VNNI kernel, GELU on the 16-bit kernels with AVX2 (in place, in the quantizer's
    /// first pass over each row). Elsewhere `LinearWeight` runs it first as a pass of its own.
    func appliesActivationWhileQuantizing(_ input: ProductInput) -> Bool {
        switch input {
        case .rows: false
        case .geluOf: (usesByteKernel && blockSums != nil) || (!usesByteKernel && semsearch_int8_kernel() >= 1)
        case .gatedGELUOf: usesByteKernel && blockSums != nil
        }
    }

    /// C[rows × outputs] = X·Wᵀ, or C += X·Wᵀ with `accumulate`, plus `bias` on every row unless nil;
    /// X is `rows × inputs`, row-major, and an activation only where `appliesActivationWhileQuantizing`.
    /// With `scratch.threads` > 1 the output panels are split between that many threads.
    func multiply(_ input: ProductInput, rows: Int, into c: UnsafeMutablePointer<Float>, accumulate: Bool,
                  bias: UnsafePointer<Float>?, scratch: Int8Scratch) {
        guard rows > 0 else { return }
        let a: UnsafePointer<Float>, function: Int32, stride: Int
        switch input {
        case .rows(let rows): (a, function, stride) = (rows, Int32(SEMSEARCH_INT8_INPUT_AS_IS), inputs)
        case .geluOf(let rows):
            precondition(appliesActivationWhileQuantizing(input), "GELU runs as a pass of its own before this product")
            (a, function, stride) = (UnsafePointer(rows), Int32(SEMSEARCH_INT8_INPUT_GELU), inputs)
        case .gatedGELUOf(let gateUp, _):
            precondition(appliesActivationWhileQuantizing(input), "GeGLU runs as a pass of its own before this product")
            (a, function, stride) = (gateUp, Int32(SEMSEARCH_INT8_INPUT_GATED_GELU_TANH), 2 * inputs)
        }
        var accumulate = accumulate, epilogueBias: UnsafePointer<Float>? = nil
        if let bias {
            if usesByteKernel {
                epilogueBias = bias
            } else {
                LinearWeight.add(bias, toRows: rows, of: c, width: outputs, replacing: !accumulate)
                accumulate = true
            }
        }
        let source: SharedRows
        if usesByteKernel, blockSums != nil {
            let x = scratch.byteRows(semsearch_int8_packed_byte_rows_size(rows, inputs))
            let blockScales = scratch.rowScales(semsearch_int8_block_scales_count(rows, inputs))
            semsearch_int8_quantize_byte_blocks(a, rows, inputs, stride, function, x, blockScales)
            source = SharedRows(bytes: x, pairs: nil, scales: blockScales)
        } else if usesByteKernel {
            let rowScales = scratch.rowScales(rows)
            let x = scratch.byteRows(semsearch_int8_packed_byte_rows_size(rows, inputs))
            semsearch_int8_quantize_byte_rows(a, rows, inputs, inputs, x, rowScales)
            source = SharedRows(bytes: x, pairs: nil, scales: rowScales)
        } else {
            let rowScales = scratch.rowScales(rows)
            let x = scratch.pairRows(semsearch_int8_packed_rows_count(rows, inputs))
            if case .geluOf(let preactivations) = input {
                semsearch_int8_quantize_gelu_rows(preactivations, rows, inputs, inputs, activations.limit, x, rowScales)
            } else {
                semsearch_int8_quantize_rows(scratch.kernel, a, rows, inputs, inputs, activations.limit, x, rowScales)
            }
            source = SharedRows(bytes: nil, pairs: x, scales: rowScales)
        }
        let panels = semsearch_int8_weight_scales_count(outputs) / Int(SEMSEARCH_INT8_PANEL)
        // Only products of 2²⁰ multiply-adds or more are split, so the hand-off stays small beside the work.
        let threads = rows * outputs * inputs >= 1 << 20 ? min(scratch.threads, panels) : 1
        let product = Product(source: source, bias: epilogueBias, accumulate: accumulate, kernel: scratch.kernel)
        if threads <= 1 {
            run(product, rows: rows, panels: 0..<panels, into: c)
            return
        }
        let target = DisjointWrites(base: c)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            // Even panel boundaries keep the byte kernel's panel pairs whole.
            let start = panels * t / threads / 2 * 2, end = t == threads - 1 ? panels : panels * (t + 1) / threads / 2 * 2
            self.run(product, rows: rows, panels: start..<end, into: target.base)
        }
    }

    private func run(_ product: Product, rows: Int, panels: Range<Int>, into c: UnsafeMutablePointer<Float>) {
        let source = product.source, accumulate: Int32 = product.accumulate ? 1 : 0
        if let bytes = source.bytes, let quads = packedQuads, let blockSums {
            semsearch_int8_byte_block_gemm(bytes, source.scales, rows, inputs, quads, scales, blockSums, outputs,
                                           panels.lowerBound, panels.upperBound, c, outputs, accumulate, product.bias)
        } else if let bytes = source.bytes, let quads = packedQuads {
            semsearch_int8_byte_gemm(bytes, source.scales, rows, inputs, quads, scales, columnSums, outputs,
                                     panels.lowerBound, panels.upperBound, c, outputs, accumulate, product.bias)
        } else if let pairs = source.pairs, let weightPairs = packedPairs {
            semsearch_int8_gemm(product.kernel, pairs, source.scales, rows, inputs, weightPairs, scales, outputs,
                                panels.lowerBound, panels.upperBound, c, outputs, accumulate)
        }
    }
}

/// One product's operands and epilogue, read by every thread of it.
private struct Product: @unchecked Sendable {
    let source: SharedRows
    /// Added by the byte kernels' epilogue; nil where it was added to C beforehand.
    let bias: UnsafePointer<Float>?
    let accumulate: Bool
    let kernel: Int32
}

/// The quantized rows, read by every thread of one product: bytes for the byte kernel, else pairs.
private struct SharedRows: @unchecked Sendable {
    let bytes: UnsafeMutablePointer<UInt8>?
    let pairs: UnsafeMutablePointer<Int16>?
    let scales: UnsafeMutablePointer<Float>
}
