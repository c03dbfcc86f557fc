import SemsearchCore
import SemsearchEncoder

/// What the index knows of a file, for deciding whether to re-read it.
public struct StoredFileState: Sendable, Equatable {
    public var id: Int64
    public var size: Int
    public var modificationTime: Double
    public var hash: String
}
