import SemsearchCore
import SemsearchEncoder

/// What the index knows of a file, for deciding whether to re-read it.
public struct StoredFileState: Sendable, Equatable {
    public var id: Int64
    public var size: Int
    public var modificationTime: Double
    public var hash: String

    /// The index asks for the file to be read again whatever its size and time (a schema upgrade
    /// that stores more of what extraction finds empties the hash).
    public var needsRereading: Bool { hash.isEmpty }
}

extension StoredFileState {
    /// Whether the file at `path` is no longer what was indexed: another size or modification
    /// time, or gone. The one test of staleness for results and for `status`.
    public func differs(fromFileAt path: String) -> Bool {
        Self.differs(path: path, size: size, modificationTime: modificationTime)
    }

    static func differs(path: String, size: Int, modificationTime: Double) -> Bool {
        guard let info = FileInfo(path: path, followLinks: true) else { return true }
        return info.size != size || abs(info.modificationTime - modificationTime) > 1e-3
    }
}
