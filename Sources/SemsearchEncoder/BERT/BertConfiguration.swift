import SemsearchCore
import Foundation

/// The architecture hyper-parameters of a BERT-family encoder, read from a Hugging Face `config.json`.
public struct BertConfiguration: ModelConfiguration, Sendable, Equatable, Codable {
    public var modelType: String
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float
    public var hiddenActivation: String
    public var positionEmbeddingType: String

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenActivation = "hidden_act"
        case positionEmbeddingType = "position_embedding_type"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? ""
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? 512
        typeVocabularySize = try c.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? 2
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-12
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
    }

    /// Size of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    public static let familyName = "BERT"

    /// Checks that this encoder can run the configuration.
    public func validate(path: String) throws {
        func fail(_ reason: String) -> ModelError { .unsupportedConfig(path: path, reason: reason) }
        guard modelType == "bert" else {
            throw fail("model_type is '\(modelType)', only 'bert' (BERT, MiniLM, bge, e5, gte…) is supported")
        }
        guard hiddenActivation == "gelu" else {
            throw fail("hidden_act '\(hiddenActivation)' is not supported (only exact 'gelu')")
        }
        guard positionEmbeddingType == "absolute" else {
            throw fail("position_embedding_type '\(positionEmbeddingType)' is not supported (only 'absolute')")
        }
        guard hiddenSize > 0, layerCount > 0, headCount > 0, intermediateSize > 0, vocabularySize > 0,
              maxPositions > 2, typeVocabularySize > 0, hiddenSize % headCount == 0,
              hiddenSize <= 8192, layerCount <= 128, intermediateSize <= 65536
        else {
            throw fail("sizes are not consistent (hidden \(hiddenSize), heads \(headCount), layers \(layerCount))")
        }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else { throw fail("layer_norm_eps must be positive") }
    }
}
