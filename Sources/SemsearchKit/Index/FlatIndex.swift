import SemsearchCore
import SemsearchEncoder


/// Exact search: the query against every vector in one fp16 SIMD scan, then a top-k selection.
/// The baseline every approximate index is measured against.
public struct FlatIndex: Sendable {
    public let dim: Int
    /// Chunk of each row, ascending.
    public let chunkIDs: [Int64]
    /// File of each row.
    public let fileIDs: [Int64]
    private let matrix: HalfVectorMatrix

    public init(_ vectors: StoredVectors) {
        dim = vectors.dim
        chunkIDs = vectors.chunkIDs
        fileIDs = vectors.fileIDs
        matrix = HalfVectorMatrix(rows: vectors.matrix, dim: vectors.dim)
    }

    public var count: Int { chunkIDs.count }

    /// The similarity of `query` (normalized, `dim` long) to every row, in row order.
    public func scores(_ query: [Float], threads: Int = 2) -> [Float] { matrix.scores(query, threads: threads) }

    /// The `k` chunks most similar to `query` (normalized, `dim` long), best first. With
    /// `allowedFiles`, only chunks of those files are candidates.
    public func search(_ query: [Float], k: Int, allowedFiles: Set<Int64>? = nil, threads: Int = 2) -> [SearchHit] {
        precondition(query.count == dim)
        guard count > 0, k > 0 else { return [] }
        var scores = matrix.scores(query, threads: threads)
        if let allowedFiles {
            for row in 0..<count where !allowedFiles.contains(fileIDs[row]) { scores[row] = -.infinity }
        }
        return TopK.select(scores, k: k).compactMap { row in
            scores[row] == -.infinity ? nil : SearchHit(chunkID: chunkIDs[row], score: scores[row])
        }
    }

    /// The row holding `chunkID`, if any.
    public func row(of chunkID: Int64) -> Int? {
        var lo = 0, hi = chunkIDs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunkIDs[mid] < chunkID { lo = mid + 1 } else { hi = mid }
        }
        return lo < chunkIDs.count && chunkIDs[lo] == chunkID ? lo : nil
    }

    /// The stored (normalized) vector of `row`.
    public func vector(row: Int) -> [Float] { matrix.row(row) }
}
