import SemsearchCore

/// What indexing, chunking and search need from a model family's tokenizer.
///
/// Every family frames its input with its own special tokens (`[CLS] … [SEP]` for BERT,
/// `<bos> … <eos>` for Gemma) and reports each token's UTF-8 byte range in the original text, so
/// chunks and late pooling map tokens back to the file whatever the family.
///
/// ## Topics
/// - ``encode(_:maxLength:)``
/// - ``encodeUntruncated(_:)``
/// - ``countTokens(_:)``
/// - ``continuesWord(_:)``
/// - ``isPoorlyRead(_:)``
public protocol TextTokenizer: Sendable {
    /// Maximum sequence length, special tokens included.
    var maxLength: Int { get }
    /// How many special tokens frame every sequence before and after the text (1 and 1 for both families).
    var framing: (prefix: Int, suffix: Int) { get }

    /// Tokenizes `text`, framed by the special tokens and truncated to `maxLength` (or the
    /// tokenizer's own maximum, whichever is smaller).
    func encode(_ text: String, maxLength: Int?) -> TokenizedText
    /// Tokenizes all of `text`, however long: for cutting text into chunks, not for the encoder.
    func encodeUntruncated(_ text: String) -> TokenizedText
    /// Number of tokens `text` makes without truncation, special tokens included.
    func countTokens(_ text: String) -> Int
    /// Whether token `id` continues the word of the token before it, so a chunk must not start there.
    func continuesWord(_ id: Int32) -> Bool
    /// Whether token `id` shows that the vocabulary could not read the text: an unknown token, a
    /// raw byte, or a lone character of a script the vocabulary has no words for.
    func isPoorlyRead(_ id: Int32) -> Bool
    /// The token strings of `text`, without special tokens (for display and tests).
    func pieces(_ text: String) -> [String]
}

extension TextTokenizer {
    /// Tokenizes `text`, truncated to the tokenizer's maximum length.
    public func encode(_ text: String) -> TokenizedText { encode(text, maxLength: nil) }
}
