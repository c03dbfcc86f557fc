import Foundation
import Testing
import SemsearchBench
import SemsearchKit
import SemsearchTestSupport

@Suite struct KMeansTests {
    @Test func findsWellSeparatedClusters() {
        let dim = 16, perCluster = 200
        var rng = SplitMix64(seed: 3)
        var points: [Float] = []
        for cluster in 0..<4 {
            for _ in 0..<perCluster {
                var v = (0..<dim).map { _ in Float.random(in: -0.15...0.15, using: &rng) }
                v[cluster] += 1
                VectorMath.normalize(&v)
                points += v
            }
        }
        let centroids = KMeans.train(points, count: 4 * perCluster, dim: dim, k: 4)
        var matched = Set<Int>()
        for c in 0..<4 {
            let row = Array(centroids[(c * dim)..<((c + 1) * dim)])
            let axis = row.indices.max { row[$0] < row[$1] }!
            #expect(row[axis] > 0.95, "centroid \(c) is not near an axis: \(row[axis])")
            matched.insert(axis)
        }
        #expect(matched == [0, 1, 2, 3])
        let (lists, _) = KMeans.assign(points, count: 4 * perCluster, dim: dim, centroids: centroids, k: 4)
        for cluster in 0..<4 {
            let members = Set(lists[(cluster * perCluster)..<((cluster + 1) * perCluster)])
            #expect(members.count == 1, "cluster \(cluster) split over \(members)")
        }
    }

    @Test func syntheticVectorsAreUnitLength() {
        let v = SyntheticVectors.clustered(count: 50, dim: 24, clusters: 5)
        #expect(v.count == 50 * 24)
        for i in 0..<50 {
            let norm = v[(i * 24)..<((i + 1) * 24)].reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-4)
        }
    }
}
