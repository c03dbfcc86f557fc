import SemsearchCore
import SemsearchEncoder

/// A file's text, ready to chunk.
public struct ExtractedDocument: Sendable {
    public var text: String
    public var kind: DocumentKind
    /// Hash of the file's raw bytes, for change detection.
    public var hash: String
    /// True when invalid UTF-8 sequences were replaced (the file was mostly, not entirely, text).
    public var hadInvalidUTF8: Bool
    /// Where the document's own units begin in `text` (pages of a PDF, slides, chapters, messages,
    /// paragraphs of the ``DocumentFormat``s); nil for files whose lines are their location.
    public var locations: LocationMarks?

    public init(text: String, kind: DocumentKind, hash: String, hadInvalidUTF8: Bool, locations: LocationMarks? = nil) {
        self.text = text
        self.kind = kind
        self.hash = hash
        self.hadInvalidUTF8 = hadInvalidUTF8
        self.locations = locations
    }
}
