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
}
