import SemsearchCore
import SemsearchEncoder

/// A file's content ready to store: its identity, change-detection fields, chunks, and for each
/// chunk the pooled vector of every stored layer.
public struct IndexedFile: Sendable {
    public var path: String
    public var size: Int
    public var modificationTime: Double
    public var hash: String
    public var kind: DocumentKind
    public var chunks: [TextChunk]
    /// For each chunk, one vector per stored layer (in `IndexSettings.layers` order), full width.
    public var vectors: [[[Float]]]
    /// For each chunk, its final-layer vector when the file was in the calibration sample of an
    /// early-exit index (`IndexOptions.encodeLayers`); nil otherwise.
    public var calibrationTargets: [[Float]]?

    public init(path: String, size: Int, modificationTime: Double, hash: String, kind: DocumentKind,
                chunks: [TextChunk], vectors: [[[Float]]], calibrationTargets: [[Float]]? = nil) {
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
