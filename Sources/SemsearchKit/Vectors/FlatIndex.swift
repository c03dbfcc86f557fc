import SemsearchCore
import SemsearchEncoder


/// A cell's vectors in memory: exact search, the query against every vector in one fp16 SIMD
/// scan then a top-k selection, the baseline every approximate index is measured against. From
/// `shortlistThreshold` vectors on, a search first shortlists by Hamming distance over sign bits
/// (``SignCodes``, a popcount scan of 1/16 the bytes) and rescores the shortlist exactly in fp16:
/// the same top 10 at a million vectors (recall 0.999 against fp32, README "Storage") in a sixth
/// of the time.
public struct FlatIndex: Sendable {
    public let dim: Int
    /// Chunk of each row, ascending.
    public let chunkIDs: [Int64]
    /// File of each row.
    public let fileIDs: [Int64]
    private let matrix: HalfVectorMatrix
    private let signs: SignCodes?

    /// Vectors from which a search goes through a sign-bit shortlist (below it, the exact scan is
    /// a few milliseconds anyway); cells narrower than 128 dims keep the exact scan.
    public static let shortlistThreshold = 200_000

    /// `vectors` in memory; a cell of at least `shortlistFrom` vectors also gets its sign codes.
    public init(_ vectors: StoredVectors, shortlistFrom threshold: Int = FlatIndex.shortlistThreshold) {
        dim = vectors.dim
        chunkIDs = vectors.chunkIDs
        fileIDs = vectors.fileIDs
        matrix = HalfVectorMatrix(rows: vectors.matrix, dim: vectors.dim)
        signs = vectors.chunkIDs.count >= threshold && vectors.dim >= 128 ? SignCodes(rows: vectors.matrix, dim: vectors.dim) : nil
    }

    /// Rows a shortlist keeps for `k` results, when searches of this index shortlist; nil when they scan everything.
    public func shortlistSize(k: Int) -> Int? {
        guard signs != nil, k <= 200 else { return nil }
        return max(2000, 20 * k)
    }

    public var count: Int { chunkIDs.count }

    /// The similarity of `query` (normalized, `dim` long) to every row, in row order.
    public func scores(_ query: [Float], threads: Int = 2) -> [Float] { matrix.scores(query, threads: threads) }

    /// The `k` chunks most similar to `query` (normalized, `dim` long), best first. With
    /// `allowedFiles`, only chunks of those files are candidates.
    /// `exact` scans every vector even where a shortlist would be used.
    public func search(_ query: [Float], k: Int, allowedFiles: Set<Int64>? = nil, threads: Int = 2, exact: Bool = false) -> [SearchHit] {
        precondition(query.count == dim)
        guard count > 0, k > 0 else { return [] }
        if !exact, let signs, let size = shortlistSize(k: k) {
            let rows = signs.shortlist(query, size: size, threads: threads, allowed: allowedFiles.map { allowed in { allowed.contains(fileIDs[$0]) } })
            let scores = matrix.scores(query, rows: rows)
            return TopK.select(scores, k: k).map { SearchHit(chunkID: chunkIDs[rows[$0]], score: scores[$0]) }
        }
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
