import SemsearchCore
import SemsearchEncoder

/// Indices of the k largest scores, largest first, ties by lower index.
public enum TopK {
    public static func select(_ scores: [Float], k: Int) -> [Int] {
        let k = min(k, scores.count)
        guard k > 0 else { return [] }
        // A small sorted buffer beats a heap for the k of at most a few hundred that searches use
        // (results, candidates, IVF probes); after the first k,
        // almost every score fails the threshold test and costs one comparison.
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
