import SemsearchCore
import Foundation

/// The symbols of one word while BPE merges them: a doubly linked list over arrays, and a heap of
/// candidate merges ordered by (rank, position).
struct SymbolList {
    var ids: [Int32] = []
    var starts: [Int] = [], ends: [Int] = []
    var previous: [Int] = [], next: [Int] = []
    var alive: [Bool] = []

    mutating func append(id: Int32, range: Range<Int>) {
        let index = ids.count
        ids.append(id); starts.append(range.lowerBound); ends.append(range.upperBound)
        previous.append(index - 1); next.append(-1); alive.append(true)
        if index > 0 { next[index - 1] = index }
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    mutating func merge(using merges: [UInt64: UInt64]) {
        guard ids.count > 1 else { return }
        var heap = MinHeap()
        func consider(_ i: Int) {
            guard i >= 0, next[i] >= 0, let merge = merges[Self.key(ids[i], ids[next[i]])] else { return }
            heap.push((merge >> 32) << 32 | UInt64(i))
        }
        for i in 0..<(ids.count - 1) { consider(i) }
        while let top = heap.pop() {
            let i = Int(top & 0xFFFF_FFFF), rank = top >> 32
            guard alive[i], next[i] >= 0, let merge = merges[Self.key(ids[i], ids[next[i]])], merge >> 32 == rank else { continue }
            let j = next[i]
            ids[i] = Int32(truncatingIfNeeded: merge & 0xFFFF_FFFF)
            ends[i] = ends[j]
            alive[j] = false
            next[i] = next[j]
            if next[j] >= 0 { previous[next[j]] = i }
            consider(previous[i])
            consider(i)
        }
    }

    func forEach(_ body: (Int32, Range<Int>) -> Void) {
        var i = ids.isEmpty ? -1 : 0
        while i >= 0 {
            body(ids[i], starts[i]..<max(starts[i], ends[i]))
            i = next[i]
        }
    }
}
