import SemsearchCore
import CPUFeatures

/// One forward pass's memory for quantized activations, grown to the largest product it has seen,
/// and the threads its int8 products may use (1 when every core runs its own pass).
final class Int8Scratch {
    let threads: Int
    /// The kernel every product of this pass runs (`semsearch_int8_kernel`).
    let kernel = semsearch_int8_kernel()
    private var rows: UnsafeMutablePointer<Int16>
    private var rowCapacity = 0
    private var scales: UnsafeMutablePointer<Float>
    private var scaleCapacity = 0

    init(threads: Int) {
        self.threads = max(1, threads)
        rows = .allocate(capacity: 1)
        scales = .allocate(capacity: 1)
    }

    deinit {
        rows.deallocate()
        scales.deallocate()
    }

    /// Room for `rows` quantized rows of `width` values and their scales.
    func reserve(rows count: Int, width: Int) -> (UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Float>) {
        let needed = semsearch_int8_packed_rows_count(count, width)
        if needed > rowCapacity {
            rows.deallocate()
            rows = .allocate(capacity: needed)
            rowCapacity = needed
        }
        if count > scaleCapacity {
            scales.deallocate()
            scales = .allocate(capacity: count)
            scaleCapacity = count
        }
        return (rows, scales)
    }
}
