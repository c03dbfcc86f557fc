import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct FlatSearchTests {
    @Test func topKIsTheSortedPrefix() {
        let scores: [Float] = [0.1, 0.9, -0.3, 0.9, 0.5, 0.7, 0.2]
        #expect(TopK.select(scores, k: 3) == [1, 3, 5])
        #expect(TopK.select(scores, k: 10) == [1, 3, 5, 4, 6, 0, 2])
        #expect(TopK.select([], k: 3).isEmpty)
    }

    @Test func flatSearchRanksByCosineAndMixBlendsTheDocumentMean() {
        var vectors = StoredVectors(dim: 2, chunkIDs: [10, 11, 12], fileIDs: [1, 1, 2],
                                    matrix: [1, 0, 0, 1, 0.6, 0.8])
        let hits = FlatIndex(vectors).search([1, 0], k: 2)
        #expect(hits.map { $0.chunkID } == [10, 12])
        #expect(abs(hits[0].score - 1) < 1e-6)
        vectors = vectors.mixed(beta: 1)
        // File 1's mean direction is (1,1)/√2; chunk 10 moves towards it.
        let x: Float = vectors.matrix[0], y: Float = vectors.matrix[1]
        let norm: Float = x * x + y * y
        #expect(abs(norm - 1) < 1e-5)
        #expect(y > 0.3 && x > y)
    }
}
