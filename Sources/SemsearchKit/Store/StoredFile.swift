import Foundation

/// A file as an index stores it, for copying an index to another store without re-embedding or
/// re-encoding: its record, its chunks, and each chunk's vectors as the stored bytes of every
/// layer (fp16 or the layer quantizer's codes) and its calibration target.
public struct StoredFile: Sendable {
    /// The file's id in the index it was read from (where to go on reading from).
    public var id: Int64
    /// The root the file was indexed under.
    public var rootPath: String
    public var path: String
    public var size: Int
    public var modificationTime: Double
    public var hash: String
    /// The stored kind (``DocumentKind`` raw value, or a document format's).
    public var kind: String
    public var chunks: [TextChunk]
    /// For each chunk, its stored vector bytes by layer.
    public var vectors: [[Int: Data]]
    /// For each chunk, its stored calibration target (fp16), if it has one.
    public var calibrationTargets: [Data?]

    public init(id: Int64, rootPath: String, path: String, size: Int, modificationTime: Double, hash: String, kind: String,
                chunks: [TextChunk], vectors: [[Int: Data]], calibrationTargets: [Data?]) {
        self.id = id
        self.rootPath = rootPath
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.hash = hash
        self.kind = kind
        self.chunks = chunks
        self.vectors = vectors
        self.calibrationTargets = calibrationTargets
    }
}
