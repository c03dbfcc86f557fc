import SemsearchCore
import SemsearchEncoder

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
    /// The encoder precision documents are embedded with (nil in indexes made before there was a
    /// choice: fp32). Queries are embedded in fp32 whatever this is.
    public var precision: EncoderPrecision?

    /// The precision, fp32 when the index does not say.
    public var documentPrecision: EncoderPrecision { precision ?? .fp32 }

    public init(model: String, modelFingerprint: String, layerCount: Int, hiddenSize: Int, layers: [Int],
                chunkTokens: Int, overlap: Int, situate: SituateMode, encodedLayers: Int? = nil, precision: EncoderPrecision? = nil) {
        self.model = model
        self.modelFingerprint = modelFingerprint
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.chunkTokens = chunkTokens
        self.overlap = overlap
        self.situate = situate
        self.encodedLayers = encodedLayers
        self.precision = precision
    }
}
