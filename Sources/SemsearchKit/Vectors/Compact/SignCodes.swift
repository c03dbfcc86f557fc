import CPUFeatures
import Dispatch
import SemsearchCore

/// One bit a dimension: the signs of unit vectors, packed 64 to a word. The Hamming distance
/// between two codes tracks the angle between the vectors (SimHash), so a popcount scan over
/// 48 bytes a vector (384 dims) finds a shortlist that a float rescoring then orders
/// (docs/ARCHITECTURE.md §6).
///
/// Codes are kept in blocks of eight, word-major (`[block][word][lane]`), so the scan, a C kernel
/// chosen at run time, XORs and counts eight codes with one AVX-512 VPOPCNTQ where the CPU has
/// it, else with POPCNT, else in portable C.
public struct SignCodes: Sendable {
    public let dim: Int
    public let count: Int
    /// 64-bit words a code takes.
    public let words: Int
    /// `blockCount × words × 8` words; lanes past `count` in the last block are zero.
    private let bits: [UInt64]
    private var blockCount: Int { (count + 7) / 8 }

    /// The codes of `rows` (`count × dim` floats, row-major).
    public init(rows: [Float], dim: Int) {
        precondition(dim > 0 && rows.count % dim == 0)
        self.dim = dim
        let count = rows.count / dim, words = (dim + 63) / 64
        self.count = count
        self.words = words
        var blocked = [UInt64](repeating: 0, count: (count + 7) / 8 * words * 8)
        var code = [UInt64](repeating: 0, count: words)
        rows.withUnsafeBufferPointer { source in
            for row in 0..<count {
                code.withUnsafeMutableBufferPointer { Self.pack(source.baseAddress! + row * dim, dim: dim, into: $0.baseAddress!) }
                for word in 0..<words { blocked[(row / 8 * words + word) * 8 + row % 8] = code[word] }
            }
        }
        bits = blocked
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
    public func distances(_ code: [UInt64], threads: Int = 2, kernel: Int32? = nil) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: blockCount * 8)
        let blocks = blockCount, parts = max(1, min(threads, blocks / 8192))
        let per = (blocks + parts - 1) / parts
        let words = self.words
        bits.withUnsafeBufferPointer { codes in
            code.withUnsafeBufferPointer { query in
                out.withUnsafeMutableBufferPointer { result in
                    nonisolated(unsafe) let c = codes.baseAddress!, q = query.baseAddress!, r = result.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let first = part * per, count = max(0, min(blocks, first + per) - first)
                        guard count > 0 else { return }
                        if let kernel {
                            semsearch_hamming_blocks_using(kernel, c + first * words * 8, count, words, q, r + first * 8)
                        } else {
                            semsearch_hamming_blocks(c + first * words * 8, count, words, q, r + first * 8)
                        }
                    }
                }
            }
        }
        return Array(out.prefix(count))
    }

    /// The kernel the scan uses on this CPU.
    public static var kernelName: String {
        switch semsearch_hamming_kernel() {
        case 2: return "AVX-512 VPOPCNTDQ"
        case 1: return "POPCNT"
        default: return "portable C"
        }
    }
}
