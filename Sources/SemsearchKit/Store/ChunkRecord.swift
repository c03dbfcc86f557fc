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

    public init(id: Int64, path: String, ordinal: Int, byteRange: Range<Int>, lineStart: Int, lineEnd: Int, heading: String, text: String) {
        self.id = id
        self.path = path
        self.ordinal = ordinal
        self.byteRange = byteRange
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.heading = heading
        self.text = text
    }

    /// The file lines the chunk covers (1-based, inclusive).
    public var lines: ClosedRange<Int> { lineStart...max(lineStart, lineEnd) }
}
