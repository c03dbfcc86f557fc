import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Clustered unit vectors for testing and benchmarking indexes without a corpus: points scattered
/// around random centres, the way real embeddings gather by topic.
public enum SyntheticVectors {
    /// `count × dim` unit vectors around `clusters` random centres; each point is its centre plus
    /// Gaussian noise of expected length `spread`, renormalized. The same seed gives the same
    /// centres, so extra points drawn in one call (e.g. queries) come from the same distribution;
    /// `pointSeed`, when given, draws other points around those same centres (a collection
    /// written in batches).
    public static func clustered(count: Int, dim: Int, clusters: Int, spread: Float = 0.6, seed: UInt64 = 7,
                                 pointSeed: UInt64? = nil) -> [Float] {
        var rng = SplitMix64(seed: seed)
        func gaussian() -> Float {
            // Box–Muller.
            let u = Float.random(in: Float.ulpOfOne..<1, using: &rng), v = Float.random(in: 0..<1, using: &rng)
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
        }
        var centres = [[Float]]()
        for _ in 0..<clusters {
            var c = (0..<dim).map { _ in gaussian() }
            VectorMath.normalize(&c)
            centres.append(c)
        }
        if let pointSeed { rng = SplitMix64(seed: pointSeed) }
        var out = [Float]()
        out.reserveCapacity(count * dim)
        let scale = spread / Float(dim).squareRoot()
        for _ in 0..<count {
            let centre = centres[Int.random(in: 0..<clusters, using: &rng)]
            var v = centre.map { $0 + scale * gaussian() }
            VectorMath.normalize(&v)
            out += v
        }
        return out
    }
}
