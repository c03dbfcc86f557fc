/// What the preview pane needs read: `context` lines either side of a chunk's lines in its file.
public struct PreviewRequest: Equatable, Sendable {
    public var chunkID: Int64
    public var path: String
    public var chunkLines: ClosedRange<Int>
    public var context: Int
    /// The chunk as indexed, shown when the file cannot be read.
    public var indexedText: String
}
