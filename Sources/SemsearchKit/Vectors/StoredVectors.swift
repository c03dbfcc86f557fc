import SemsearchCore
import SemsearchEncoder
import Foundation

/// One layer's vectors of every chunk, normalized at `dim`, row i belonging to `chunkIDs[i]`.
public struct StoredVectors: Sendable {
    public var dim: Int
    public var chunkIDs: [Int64]
    public var fileIDs: [Int64]
    /// `chunkIDs.count × dim` values, row-major.
    public var matrix: [Float]

    public init(dim: Int, chunkIDs: [Int64], fileIDs: [Int64], matrix: [Float]) {
        precondition(chunkIDs.count == fileIDs.count && matrix.count == chunkIDs.count * dim)
        self.dim = dim
        self.chunkIDs = chunkIDs
        self.fileIDs = fileIDs
        self.matrix = matrix
    }

    /// The `mix` situating (docs/ARCHITECTURE.md §3): each vector plus β × its document's mean vector,
    /// renormalized. β = 0 leaves the vectors as they are.
    public func mixed(beta: Float) -> StoredVectors {
        guard beta != 0, !chunkIDs.isEmpty else { return self }
        var sums: [Int64: [Float]] = [:]
        for (row, file) in fileIDs.enumerated() {
            var sum = sums[file] ?? [Float](repeating: 0, count: dim)
            for j in 0..<dim { sum[j] += matrix[row * dim + j] }
            sums[file] = sum
        }
        for key in sums.keys { VectorMath.normalize(&sums[key]!) }
        var out = self
        for (row, file) in fileIDs.enumerated() {
            let mean = sums[file]!
            var v = (0..<dim).map { matrix[row * dim + $0] + beta * mean[$0] }
            VectorMath.normalize(&v)
            out.matrix.replaceSubrange((row * dim)..<((row + 1) * dim), with: v)
        }
        return out
    }
}
