import Foundation

/// A fixed-size, 64-byte aligned array of `Float` with reference semantics.
///
/// The encoder's weights and scratch matrices live in these so BLAS and the SIMD kernels get
/// stable, aligned pointers without copy-on-write or exclusivity checks on the hot path. Weights
/// are written once at load and only read afterwards, which is what makes sharing them safe.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// The arena the memory was carved from (nil: the buffer owns its own allocation).
    private let arena: WeightArena?

    /// A buffer carved from `arena`, which it keeps alive; the caller fills it before reading it.
    public init(arena: WeightArena, count: Int) {
        self.arena = arena
        self.count = count
        pointer = arena.allocate(floats: count)
    }

    public convenience init(count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    /// A buffer the caller fills completely before reading it (skips zeroing large weights).
    public init(uninitializedCount count: Int) {
        self.count = count
        arena = nil
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { if arena == nil { UnsafeMutableRawPointer(pointer).deallocate() } }
}
