import SemsearchCore
import SemsearchEncoder
import Dispatch

/// Unit vectors stored as fp16 rows, scanned with SIMD against an fp32 query.
///
/// An exact scan is memory-bound (docs/ARCHITECTURE.md §6): every query reads every vector once. fp16 halves
/// the bytes read compared to fp32, and with F16C the conversion is free beside the loads, so this
/// scan is about twice as fast as an fp32 `sgemv` over the same vectors, at a precision (≈ 1e-3
/// relative) far below what separates two search results.
public struct HalfVectorMatrix: Sendable {
    public let dim: Int
    public let count: Int
    private let storage: [Float16]

    /// Rows of `dim` values (already normalized), converted to fp16.
    public init(rows: [Float], dim: Int) {
        precondition(dim > 0 && rows.count % dim == 0)
        self.dim = dim
        count = rows.count / dim
        storage = [Float16](unsafeUninitializedCapacity: rows.count) { out, initialized in
            rows.withUnsafeBufferPointer { input in
                var i = 0
                let source = UnsafeRawPointer(input.baseAddress!), target = UnsafeMutableRawPointer(out.baseAddress!)
                while i + 8 <= rows.count {
                    target.storeBytes(of: SIMD8<Float16>(source.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)),
                                      toByteOffset: 2 * i, as: SIMD8<Float16>.self)
                    i += 8
                }
                while i < rows.count { out[i] = Float16(input[i]); i += 1 }
            }
            initialized = rows.count
        }
    }

    /// Values (rows × dim) each thread must scan for a second thread to pay for itself.
    static let valuesPerThread = 1 << 20

    /// The dot product of `query` with every row, in row order.
    public func scores(_ query: [Float], threads: Int = 2) -> [Float] {
        precondition(query.count == dim)
        var out = [Float](repeating: 0, count: count)
        guard count > 0 else { return out }
        let parts = max(1, min(threads, count * dim / Self.valuesPerThread))
        let dim = self.dim, count = self.count
        storage.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer { scores in
                    let shared = SharedScan(rows: rows.baseAddress!, query: q.baseAddress!, scores: scores.baseAddress!)
                    if parts == 1 {
                        Self.scan(shared.rows, rows: 0..<count, dim: dim, query: shared.query, into: shared.scores)
                        return
                    }
                    let per = (count + parts - 1) / parts
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let range = (part * per)..<min(count, (part + 1) * per)
                        Self.scan(shared.rows, rows: range, dim: dim, query: shared.query, into: shared.scores)
                    }
                }
            }
        }
        return out
    }

    /// Dot products of rows `rows` with the query, written to `out[row]`.
    private static func scan(_ base: UnsafePointer<Float16>, rows: Range<Int>, dim: Int, query: UnsafePointer<Float>,
                             into out: UnsafeMutablePointer<Float>) {
        let blocks = dim / 8
        let rawQuery = UnsafeRawPointer(query)
        for row in rows {
            let vector = UnsafeRawPointer(base + row * dim)
            var a = SIMD8<Float>(), b = SIMD8<Float>()
            var j = 0
            while j + 1 < blocks {
                let h0 = vector.loadUnaligned(fromByteOffset: j * 16, as: SIMD8<Float16>.self)
                let h1 = vector.loadUnaligned(fromByteOffset: (j + 1) * 16, as: SIMD8<Float16>.self)
                a.addProduct(SIMD8<Float>(h0), rawQuery.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self))
                b.addProduct(SIMD8<Float>(h1), rawQuery.loadUnaligned(fromByteOffset: (j + 1) * 32, as: SIMD8<Float>.self))
                j += 2
            }
            if j < blocks {
                let h = vector.loadUnaligned(fromByteOffset: j * 16, as: SIMD8<Float16>.self)
                a.addProduct(SIMD8<Float>(h), rawQuery.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self))
            }
            var sum = (a + b).sum()
            for t in (blocks * 8)..<dim { sum += Float((base + row * dim + t).pointee) * query[t] }
            out[row] = sum
        }
    }

    /// The dot product of `query` with each of `rows`, in that order: the rescoring of a shortlist.
    public func scores(_ query: [Float], rows: [Int]) -> [Float] {
        precondition(query.count == dim)
        var out = [Float](repeating: 0, count: rows.count)
        storage.withUnsafeBufferPointer { all in
            query.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer { result in
                    for (i, row) in rows.enumerated() {
                        Self.scan(all.baseAddress!, rows: row..<(row + 1), dim: dim, query: q.baseAddress!, into: result.baseAddress! - row + i)
                    }
                }
            }
        }
        return out
    }

    /// One row as fp32.
    public func row(_ index: Int) -> [Float] {
        (0..<dim).map { Float(storage[index * dim + $0]) }
    }
}

/// Pointers handed to the scan's worker threads: the buffers outlive the scan, the inputs are only
/// read, and each worker writes a disjoint range of `scores`.
private struct SharedScan: @unchecked Sendable {
    let rows: UnsafePointer<Float16>
    let query: UnsafePointer<Float>
    let scores: UnsafeMutablePointer<Float>
}
