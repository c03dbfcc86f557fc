import SemsearchCore
import SemsearchEncoder
import Foundation

/// A stored chunk and where it lies.
public struct ChunkRecord: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var ordinal: Int
    public var byteRange: Range<Int>
    public var lineStart: Int
    public var lineEnd: Int
    public var heading: String
    public var text: String
    /// The pages, slides, chapters, messages or paragraphs the chunk lies in (``DocumentLocation``);
    /// nil for a file whose lines are its location.
    public var location: DocumentLocation?
    /// The file's size and modification time when it was indexed, for telling whether it changed
    /// since (nil where the record was not read from an index).
    public var indexedFile: (size: Int, modificationTime: Double)?

    public init(id: Int64, path: String, ordinal: Int, byteRange: Range<Int>, lineStart: Int, lineEnd: Int, heading: String, text: String,
                indexedFile: (size: Int, modificationTime: Double)? = nil, location: DocumentLocation? = nil) {
        self.id = id
        self.path = path
        self.ordinal = ordinal
        self.byteRange = byteRange
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.heading = heading
        self.text = text
        self.indexedFile = indexedFile
        self.location = location
    }

    public static func == (a: ChunkRecord, b: ChunkRecord) -> Bool {
        a.id == b.id && a.path == b.path && a.ordinal == b.ordinal && a.byteRange == b.byteRange && a.lineStart == b.lineStart
            && a.lineEnd == b.lineEnd && a.heading == b.heading && a.text == b.text && a.location == b.location
            && a.indexedFile?.size == b.indexedFile?.size && a.indexedFile?.modificationTime == b.indexedFile?.modificationTime
    }

    /// Whether the file on disk is no longer what was indexed: changed in size or modification
    /// time, or gone. False when the record does not know what was indexed.
    public var fileChangedSinceIndexed: Bool {
        guard let indexedFile else { return false }
        return StoredFileState.differs(path: path, size: indexedFile.size, modificationTime: indexedFile.modificationTime)
    }

    /// The file lines the chunk covers (1-based, inclusive).
    public var lines: ClosedRange<Int> { lineStart...max(lineStart, lineEnd) }
}
