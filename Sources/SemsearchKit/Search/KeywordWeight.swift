import Foundation
import SemsearchCore
import SemsearchEncoder

/// How much the BM25 ranking counts in a hybrid search, the vector ranking counting 1.
///
/// `adaptive` weighs each query by how sure BM25 is of it: when the best keyword match stands
/// clear of the tenth (a rare name, an identifier, a question that reuses its passage's words),
/// BM25 counts fully; when many chunks match about equally (common words, or a corpus made of
/// near-duplicates), its ranking is mostly noise and counts little. Measured with
/// `semsearch eval` (see README § Retrieval quality): a fixed weight of 1 lifts the SQuAD sets by
/// 0.08–0.15 MRR@10 but costs msmarco-5k 0.025 nDCG@10; adaptive keeps the first and not the second.
public enum KeywordWeight: Sendable, Hashable, CustomStringConvertible {
    case fixed(Float)
    case adaptive

    /// Below this relative margin between the best and the tenth BM25 score, BM25 counts nothing;
    /// from `fullMargin` on, it counts fully; linear between.
    public static let noMargin = 0.1
    public static let fullMargin = 0.5

    /// The weight for a query whose BM25 scores, best first, are `scores` (higher is better).
    public func weight(scores: [Double]) -> Float {
        switch self {
        case .fixed(let value): return value
        case .adaptive:
            // Fewer than ten matching chunks: the query's words are rare here, which is BM25's case.
            guard scores.count >= 10, let best = scores.first, best > 0 else { return 1 }
            let margin = (best - scores[9]) / best
            return Float(min(1, max(0, (margin - Self.noMargin) / (Self.fullMargin - Self.noMargin))))
        }
    }

    /// `auto`, or the fixed weight (`0.5`).
    public var description: String {
        switch self {
        case .fixed(let value): return String(format: "%g", value)
        case .adaptive: return "auto"
        }
    }

    /// Parses `auto` or a non-negative number.
    public init?(_ text: String) {
        if text == "auto" { self = .adaptive; return }
        guard let value = Float(text), value >= 0, value.isFinite else { return nil }
        self = .fixed(value)
    }
}
