/// How an index was built; stored in its `meta` table so later runs and searches agree with it.
public struct IndexSettings: Sendable, Equatable, Codable {
    /// Model name (directory name) and a fingerprint of its weights and vocabulary.
    public var model: String
    public var modelFingerprint: String
    public var layerCount: Int
    public var hiddenSize: Int
    /// Layers whose vectors are stored (1-based, ascending).
    public var layers: [Int]
    public var chunkTokens: Int
    public var overlap: Int
    public var situate: SituateMode
    /// Early exit: only the first this many layers were run for most chunks (nil: every layer).
    public var encodedLayers: Int?

    public init(model: String, modelFingerprint: String, layerCount: Int, hiddenSize: Int, layers: [Int],
                chunkTokens: Int, overlap: Int, situate: SituateMode, encodedLayers: Int? = nil) {
        self.model = model
        self.modelFingerprint = modelFingerprint
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.chunkTokens = chunkTokens
        self.overlap = overlap
        self.situate = situate
        self.encodedLayers = encodedLayers
    }
}

/// How a chunk's vector takes its document into account (docs/ARCHITECTURE.md §3).
public enum SituateMode: String, Sendable, Codable, CaseIterable {
    /// The chunk's text alone.
    case none
    /// The document title/path and heading breadcrumb prepended to the encoder input.
    case header
    /// A window of surrounding text is encoded; only the chunk's tokens are pooled.
    case late
    /// The chunk vector plus β × the document's mean vector, normalized.
    case mix
}
