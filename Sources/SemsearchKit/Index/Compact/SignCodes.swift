import Dispatch
import SemsearchCore

/// One bit a dimension: the signs of unit vectors, packed 64 to a word. The Hamming distance
/// between two codes tracks the angle between the vectors (SimHash), so a popcount scan over
/// 48 bytes a vector (384 dims) finds a shortlist that a float rescoring then orders
/// (docs/ARCHITECTURE.md §6). The scan uses the CPU's POPCNT through `nonzeroBitCount`.
public struct SignCodes: Sendable {
    public let dim: Int
    public let count: Int
    /// 64-bit words a code takes.
    public let words: Int
    private let bits: [UInt64]

    /// The codes of `rows` (`count × dim` floats, row-major).
    public init(rows: [Float], dim: Int) {
        precondition(dim > 0 && rows.count % dim == 0)
        self.dim = dim
        let count = rows.count / dim, words = (dim + 63) / 64
        self.count = count
        self.words = words
        bits = rows.withUnsafeBufferPointer { source in
            [UInt64](unsafeUninitializedCapacity: count * words) { out, initialized in
                for row in 0..<count { Self.pack(source.baseAddress! + row * dim, dim: dim, into: out.baseAddress! + row * words) }
                initialized = count * words
            }
        }
    }

    /// Bytes the codes take in memory.
    public var bytes: Int { bits.count * 8 }

    /// The code of one vector.
    public static func code(_ vector: [Float]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: (vector.count + 63) / 64)
        vector.withUnsafeBufferPointer { v in out.withUnsafeMutableBufferPointer { pack(v.baseAddress!, dim: vector.count, into: $0.baseAddress!) } }
        return out
    }

    private static func pack(_ vector: UnsafePointer<Float>, dim: Int, into out: UnsafeMutablePointer<UInt64>) {
        for word in 0..<((dim + 63) / 64) {
            var value: UInt64 = 0
            for bit in 0..<min(64, dim - word * 64) where vector[word * 64 + bit] > 0 { value |= 1 << UInt64(bit) }
            out[word] = value
        }
    }

    /// The `size` rows nearest `query` in Hamming distance (ties broken by row), in no order.
    /// `allowed`, when given, says which rows may be returned.
    public func shortlist(_ query: [Float], size: Int, threads: Int = 2, allowed: ((Int) -> Bool)? = nil) -> [Int] {
        precondition(query.count == dim)
        guard count > 0, size > 0 else { return [] }
        let distances = self.distances(Self.code(query), threads: threads)
        // Counting sort on the distance: the histogram gives the cut, one more pass the rows.
        var histogram = [Int](repeating: 0, count: dim + 2)
        for (row, distance) in distances.enumerated() where allowed?(row) ?? true { histogram[Int(distance)] += 1 }
        var cut = 0, below = 0
        while cut <= dim, below + histogram[cut] < size { below += histogram[cut]; cut += 1 }
        var out: [Int] = []
        out.reserveCapacity(min(size, count))
        var atCut = size - below
        for (row, distance) in distances.enumerated() where Int(distance) <= cut {
            guard allowed?(row) ?? true else { continue }
            if Int(distance) < cut { out.append(row) } else if atCut > 0 { out.append(row); atCut -= 1 }
        }
        return out
    }

    /// The Hamming distance from `code` to every row.
    public func distances(_ code: [UInt64], threads: Int = 2) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: count)
        let parts = max(1, min(threads, count / 65_536))
        let per = (count + parts - 1) / parts
        let words = self.words
        bits.withUnsafeBufferPointer { codes in
            code.withUnsafeBufferPointer { query in
                out.withUnsafeMutableBufferPointer { result in
                    let shared = DisjointWrites(base: result.baseAddress!)
                    let codesBase = codes.baseAddress!, queryBase = query.baseAddress!
                    nonisolated(unsafe) let c = codesBase, q = queryBase
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        for row in (part * per)..<min(count, (part + 1) * per) {
                            let base = c + row * words
                            var total = 0
                            for word in 0..<words { total &+= (base[word] ^ q[word]).nonzeroBitCount }
                            shared.base[row] = UInt16(total)
                        }
                    }
                }
            }
        }
        return out
    }
}
