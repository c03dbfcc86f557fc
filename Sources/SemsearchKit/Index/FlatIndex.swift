import CBLAS

/// One search result: a chunk and its cosine similarity to the query.
public struct SearchHit: Sendable, Equatable {
    public var chunkID: Int64
    public var score: Float
}

/// Exact search: the query against every vector with one BLAS matrix-vector product, then a
/// top-k selection. The baseline every approximate index is measured against.
public struct FlatIndex: Sendable {
    public let dim: Int
    public let chunkIDs: [Int64]
    private let matrix: FloatBuffer

    public init(_ vectors: StoredVectors) {
        dim = vectors.dim
        chunkIDs = vectors.chunkIDs
        matrix = FloatBuffer(vectors.matrix)
    }

    public var count: Int { chunkIDs.count }

    /// The `k` chunks most similar to `query` (normalized, `dim` long), best first.
    public func search(_ query: [Float], k: Int) -> [SearchHit] {
        precondition(query.count == dim)
        guard count > 0, k > 0 else { return [] }
        var scores = [Float](repeating: 0, count: count)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(dim), 1, matrix.pointer, Int32(dim),
                    query, 1, 0, &scores, 1)
        return TopK.select(scores, k: k).map { SearchHit(chunkID: chunkIDs[$0], score: scores[$0]) }
    }
}

/// Indices of the k largest scores, largest first, ties by lower index.
public enum TopK {
    public static func select(_ scores: [Float], k: Int) -> [Int] {
        let k = min(k, scores.count)
        guard k > 0 else { return [] }
        // A small sorted buffer beats a heap for the k ≤ 100 searches use.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        var threshold = -Float.infinity
        for (i, s) in scores.enumerated() where best.count < k || s > threshold {
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if scores[best[mid]] >= s { lo = mid + 1 } else { hi = mid }
            }
            best.insert(i, at: lo)
            if best.count > k { best.removeLast() }
            if best.count == k { threshold = scores[best[k - 1]] }
        }
        return best
    }
}
