import Dispatch

/// Maps `0..<count` to results on all cores, in order. Indices are handed out in contiguous runs of
/// `grain` so cheap bodies are not drowned by scheduling; each result slot is written once.
public enum ParallelMap {
    public static func map<T>(count: Int, grain: Int = 1, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let grain = max(1, grain)
        let out = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        defer { out.deallocate() }
        let target = DisjointWrites(base: out.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: (count + grain - 1) / grain) { part in
            for i in (part * grain)..<min(count, (part + 1) * grain) { (target.base + i).initialize(to: body(i)) }
        }
        let result = Array(out)
        _ = out.baseAddress!.deinitialize(count: count)
        return result
    }
}
