import SemsearchCore
import SemsearchEncoder

/// A piece of a document sized for the encoder, and where it lies in its file.
public struct TextChunk: Sendable, Equatable {
    /// The chunk's text, exactly the document's bytes in `byteRange`.
    public var text: String
    /// UTF-8 byte range in the document.
    public var byteRange: Range<Int>
    /// First and last line (1-based, inclusive).
    public var lineStart: Int
    public var lineEnd: Int
    /// Heading breadcrumb of the section the chunk starts in, e.g. `# Rhine › ## Geography`; empty when none.
    public var heading: String
    /// Content tokens of `text` under the model's tokenizer (its special tokens not counted).
    public var tokenCount: Int
    /// The page, slide, chapter, message or paragraphs the chunk lies in, for a document that has
    /// them (``ExtractedDocument/locations``); nil for a file whose lines are its location.
    public var location: DocumentLocation?

    public init(text: String, byteRange: Range<Int>, lineStart: Int, lineEnd: Int, heading: String, tokenCount: Int,
                location: DocumentLocation? = nil) {
        self.text = text
        self.byteRange = byteRange
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.heading = heading
        self.tokenCount = tokenCount
        self.location = location
    }
}
