import SemsearchCore
import CPUFeatures
import Dispatch

/// A `Linear` weight (outputs × inputs) quantized to int8 per output channel, packed in the panel
/// layout `semsearch_int8_gemm` reads (see `Int8GEMM.h`): a quarter of the fp32 weight's memory.
final class Int8Matrix: @unchecked Sendable {
    // Written once in `init`, read-only afterwards and shared by every worker's pass.
    let outputs: Int
    let inputs: Int
    private let packed: UnsafeMutablePointer<Int8>
    private let scales: UnsafeMutablePointer<Float>

    /// Quantizes the fp32 matrix at `weights` (row-major, outputs × inputs).
    init(quantizing weights: UnsafePointer<Float>, outputs: Int, inputs: Int) {
        self.outputs = outputs
        self.inputs = inputs
        packed = .allocate(capacity: max(1, semsearch_int8_packed_weights_size(outputs, inputs)))
        scales = .allocate(capacity: max(1, semsearch_int8_weight_scales_count(outputs)))
        semsearch_int8_pack_weights(weights, outputs, inputs, packed, scales)
    }

    deinit {
        packed.deallocate()
        scales.deallocate()
    }

    /// C[rows × outputs] = A·Wᵀ, or C += A·Wᵀ with `accumulate`; A is `rows × inputs`, both row-major.
    /// With `scratch.threads` > 1 the output panels are split between that many threads.
    func multiply(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>, accumulate: Bool, scratch: Int8Scratch) {
        guard rows > 0 else { return }
        let kernel = scratch.kernel
        let (x, rowScales) = scratch.reserve(rows: rows, width: inputs)
        semsearch_int8_quantize_rows(kernel, a, rows, inputs, inputs, x, rowScales)
        let panels = semsearch_int8_weight_scales_count(outputs) / Int(SEMSEARCH_INT8_PANEL)
        // Only products of 2²⁰ multiply-adds or more are split, so the hand-off stays small beside the work.
        let threads = rows * outputs * inputs >= 1 << 20 ? min(scratch.threads, panels) : 1
        if threads <= 1 {
            semsearch_int8_gemm(kernel, x, rowScales, rows, inputs, packed, scales, outputs, 0, panels, c, outputs, accumulate ? 1 : 0)
            return
        }
        let target = DisjointWrites(base: c)
        let source = SharedRows(x: x, scales: rowScales)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = panels * t / threads, end = panels * (t + 1) / threads
            semsearch_int8_gemm(kernel, source.x, source.scales, rows, self.inputs, self.packed, self.scales, self.outputs,
                                start, end, target.base, self.outputs, accumulate ? 1 : 0)
        }
    }
}

/// The quantized rows, read by every thread of one product.
private struct SharedRows: @unchecked Sendable {
    let x: UnsafeMutablePointer<Int16>
    let scales: UnsafeMutablePointer<Float>
}
