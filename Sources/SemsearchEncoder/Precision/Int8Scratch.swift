import SemsearchCore
import CPUFeatures

/// One forward pass's memory for quantized activations, grown to the largest product it has seen,
/// and the threads its int8 products may use (1 when every core runs its own pass).
final class Int8Scratch {
    let threads: Int
    /// The kernel every 16-bit product of this pass runs (`semsearch_int8_kernel`).
    let kernel = semsearch_int8_kernel()
    private let pairs = GrowingBuffer<Int16>()
    private let bytes = GrowingBuffer<UInt8>()
    private let scales = GrowingBuffer<Float>()

    init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Room for `count` int16s of packed rows (`semsearch_int8_packed_rows_count`).
    func pairRows(_ count: Int) -> UnsafeMutablePointer<Int16> { pairs.reserve(count) }

    /// Room for `count` bytes of packed rows (`semsearch_int8_packed_byte_rows_size`).
    func byteRows(_ count: Int) -> UnsafeMutablePointer<UInt8> { bytes.reserve(count) }

    /// Room for `rows` row scales (or the block kernel's block scales).
    func rowScales(_ rows: Int) -> UnsafeMutablePointer<Float> { scales.reserve(rows) }
}

/// A buffer that only grows: reallocated (contents dropped) when asked for more than it holds.
private final class GrowingBuffer<Element> {
    private var pointer = UnsafeMutablePointer<Element>.allocate(capacity: 1)
    private var capacity = 1

    deinit { pointer.deallocate() }

    func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }
        return pointer
    }
}
