import SemsearchCore

/// A text turned into model input: token ids framed by the family's special tokens (`[CLS] … [SEP]`,
/// `<bos> … <eos>`), and where each token came from in the original text.
public struct TokenizedText: Sendable, Equatable {
    /// Token ids, framed by the family's special tokens (`[CLS] … [SEP]`, `<bos> … <eos>`, or none
    /// when `tokenizer.json` has no post-processor).
    public var ids: [Int32]
    /// For each token, its UTF-8 byte range in the original text. A leading special token has the
    /// empty range at the start of the first token, a trailing one the empty range at the end of the
    /// last one; a piece of a word covers exactly the original bytes it was made from (accents and
    /// case included).
    public var byteRanges: [Range<Int>]
    /// True when the text had more tokens than fit the maximum length and was cut.
    public var isTruncated: Bool

    /// Number of tokens, special tokens included.
    public var count: Int { ids.count }
}
