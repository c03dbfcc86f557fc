import SemsearchCore
import SemsearchEncoder

/// How much of a corpus the model's vocabulary can read: the share of embedded tokens that are
/// unknown, raw bytes, or lone letters of a script the vocabulary has no words for (what
/// all-MiniLM-L6-v2 makes of Arabic, Hindi or Korean). Counted as chunks are embedded and kept in
/// the index, so `index` and `status` can say once that the model is the wrong one for this text.
public struct VocabularyCoverage: Sendable, Equatable {
    /// Encoder input tokens counted (special tokens, prompt and situating context included).
    public var tokens: Int = 0
    /// Of those, tokens the vocabulary could not read.
    public var poorlyRead: Int = 0

    public init(tokens: Int = 0, poorlyRead: Int = 0) {
        self.tokens = tokens
        self.poorlyRead = poorlyRead
    }

    /// Share of tokens poorly read, 0…1.
    public var poorShare: Double { tokens == 0 ? 0 : Double(poorlyRead) / Double(tokens) }

    /// Below this many tokens a share says little.
    public static let minimumTokens = 200
    /// "Most of the corpus": above this share the index warns.
    public static let warningShare = 0.5

    /// Whether the share is high enough, on enough text, to warn.
    public var isPoor: Bool { tokens >= Self.minimumTokens && poorShare > Self.warningShare }

    /// Counts `ids` read by `tokenizer`.
    public mutating func count(_ ids: [Int32], tokenizer: any TextTokenizer) {
        tokens += ids.count
        for id in ids where tokenizer.isPoorlyRead(id) { poorlyRead += 1 }
    }

    public static func + (a: VocabularyCoverage, b: VocabularyCoverage) -> VocabularyCoverage {
        VocabularyCoverage(tokens: a.tokens + b.tokens, poorlyRead: a.poorlyRead + b.poorlyRead)
    }

    /// The one-line warning for an index built with `model`, or nil when the vocabulary reads the text.
    public func warning(model: String, multilingualModel: String = "embeddinggemma-300m") -> String? {
        guard isPoor else { return nil }
        let share = Int((poorShare * 100).rounded())
        let advice = model == multilingualModel
            ? "results will be poor"
            : "results will be poor; for Arabic, Chinese, Hindi and 100+ other languages import the multilingual \(multilingualModel) ('semsearch model import DIR', see the README) and index with --model \(multilingualModel) into another --db"
        return "most of this text is outside \(model)'s vocabulary (\(share)% of tokens are unknown, raw bytes or lone letters): \(advice)"
    }
}
