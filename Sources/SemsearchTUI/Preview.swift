/// The lines of a file around one chunk, as the preview pane shows them.
public struct Preview: Equatable, Sendable {
    /// The chunk shown.
    public var chunkID: Int64
    public var path: String
    /// 1-based line number of `lines[0]`.
    public var firstLine: Int
    public var lines: [String]
    /// The chunk's own lines (1-based, inclusive), highlighted.
    public var chunkLines: ClosedRange<Int>
    /// A remark shown above the text: the file could not be read and the indexed text is shown.
    public var note: String?

    public init(chunkID: Int64, path: String, firstLine: Int, lines: [String], chunkLines: ClosedRange<Int>, note: String? = nil) {
        self.chunkID = chunkID
        self.path = path
        self.firstLine = firstLine
        self.lines = lines
        self.chunkLines = chunkLines
        self.note = note
    }

    /// The chunk's indexed text standing in for its file (not read yet, unreadable, or changed).
    public init(indexedText: String, chunkID: Int64, path: String, chunkLines: ClosedRange<Int>, note: String? = nil) {
        self.init(chunkID: chunkID, path: path, firstLine: chunkLines.lowerBound,
                  lines: indexedText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                  chunkLines: chunkLines, note: note)
    }
}
