import Foundation
import Synchronization

/// One allocation that a model's weight matrices are carved from, backed by transparent huge
/// pages where the kernel offers them (`madvise`). Loading 40 MB of weights into separately
/// allocated 4 KB pages costs about ten thousand page faults, a tenth of a cold search; 2 MB pages
/// cost twenty. The encoder's GEMMs also miss the TLB less.
// Unchecked: `base` is written only through disjoint ranges handed out under `used`'s lock.
public final class WeightArena: @unchecked Sendable {
    private static let hugePage = 2 << 20
    private let base: UnsafeMutableRawPointer
    private let byteCount: Int
    private let used = Mutex<Int>(0)

    /// An arena of at least `floats` values plus 64-byte alignment slack for `buffers` buffers.
    public init(floats: Int, buffers: Int) {
        let wanted = floats * MemoryLayout<Float>.stride + buffers * 64
        byteCount = max(Self.hugePage, (wanted + Self.hugePage - 1) / Self.hugePage * Self.hugePage)
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, Self.hugePage, byteCount) == 0, let memory else {
            fatalError("out of memory allocating \(byteCount) bytes of model weights")
        }
        base = memory
        _ = madvise(base, byteCount, MADV_HUGEPAGE)
    }

    /// `floats` uninitialized values, 64-byte aligned; safe to call from several threads.
    public func allocate(floats: Int) -> UnsafeMutablePointer<Float> {
        let size = (floats * MemoryLayout<Float>.stride + 63) / 64 * 64
        let offset = used.withLock { used -> Int in
            let offset = used
            precondition(offset + size <= byteCount, "weight arena too small")
            used += size
            return offset
        }
        return (base + offset).bindMemory(to: Float.self, capacity: floats)
    }

    deinit { free(base) }
}
