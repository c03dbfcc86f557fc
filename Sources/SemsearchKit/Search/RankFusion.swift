import SemsearchCore
import SemsearchEncoder

/// Reciprocal rank fusion (Cormack et al., 2009): each ranking adds 1 / (k + rank) to an item's
/// score. It needs no score calibration between rankings, so BM25 and cosine combine cleanly.
public enum RankFusion {
    /// The usual constant; it damps the head of each ranking so one list cannot dominate.
    public static let k: Float = 60

    /// Fused scores of every item in any ranking (rankings best first), best first; ties keep
    /// the order of first appearance. `weights` scale each ranking's contributions (nil: all 1).
    public static func fuse(_ rankings: [[Int64]], weights: [Float]? = nil) -> [(id: Int64, score: Float)] {
        var scores: [Int64: Float] = [:]
        var order: [Int64] = []
        for (r, ranking) in rankings.enumerated() {
            let weight = weights.map { r < $0.count ? $0[r] : 1 } ?? 1
            for (i, id) in ranking.enumerated() {
                if scores[id] == nil { order.append(id) }
                scores[id, default: 0] += weight / (k + Float(i + 1))
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.map { ($0, scores[$0]!) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : position[$0.id]! < position[$1.id]!
        }
    }

    /// The highest fused score possible with `weights`: an item first in every ranking.
    public static func bestScore(weights: [Float]) -> Float {
        weights.reduce(0) { $0 + $1 / (k + 1) }
    }
}
