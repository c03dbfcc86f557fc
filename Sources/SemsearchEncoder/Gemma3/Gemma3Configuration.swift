import SemsearchCore
import Foundation

/// The hyper-parameters of a Gemma 3 text encoder (`model_type` `gemma3_text`, bidirectional
/// attention), read from a Hugging Face `config.json`.
public struct Gemma3Configuration: ModelConfiguration, Sendable, Equatable, Decodable {
    public var modelType: String
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var headSize: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var maxPositions: Int
    public var rmsNormEpsilon: Float
    public var hiddenActivation: String
    /// Scores are scaled by `queryPreAttentionScalar^-½` (not `headSize^-½`).
    public var queryPreAttentionScalar: Float
    /// RoPE base of full-attention layers.
    public var ropeTheta: Double
    /// RoPE base of sliding-window layers.
    public var ropeLocalTheta: Double
    public var slidingWindow: Int
    /// `sliding_attention` or `full_attention` per layer.
    public var layerTypes: [String]
    public var bidirectional: Bool
    public var attentionBias: Bool
    public var ropeScaling: String?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", hiddenSize = "hidden_size", layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads", keyValueHeadCount = "num_key_value_heads", headSize = "head_dim"
        case intermediateSize = "intermediate_size", vocabularySize = "vocab_size", maxPositions = "max_position_embeddings"
        case rmsNormEpsilon = "rms_norm_eps", hiddenActivation = "hidden_activation"
        case queryPreAttentionScalar = "query_pre_attn_scalar", ropeTheta = "rope_theta", ropeLocalTheta = "rope_local_base_freq"
        case slidingWindow = "sliding_window", layerTypes = "layer_types", bidirectional = "use_bidirectional_attention"
        case attentionBias = "attention_bias", ropeScaling = "rope_scaling", slidingWindowPattern = "sliding_window_pattern"
        case slidingWindowPatternPrivate = "_sliding_window_pattern"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        keyValueHeadCount = try c.decodeIfPresent(Int.self, forKey: .keyValueHeadCount) ?? headCount
        headSize = try c.decodeIfPresent(Int.self, forKey: .headSize) ?? hiddenSize / max(1, headCount)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? 2048
        rmsNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .rmsNormEpsilon) ?? 1e-6
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu_pytorch_tanh"
        queryPreAttentionScalar = try c.decodeIfPresent(Float.self, forKey: .queryPreAttentionScalar) ?? Float(headSize)
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 1_000_000
        ropeLocalTheta = try c.decodeIfPresent(Double.self, forKey: .ropeLocalTheta) ?? 10_000
        slidingWindow = try c.decodeIfPresent(Int.self, forKey: .slidingWindow) ?? 512
        bidirectional = try c.decodeIfPresent(Bool.self, forKey: .bidirectional) ?? false
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        // rope_scaling is null for EmbeddingGemma; anything else is refused by validate().
        ropeScaling = (try? c.decodeNil(forKey: .ropeScaling)) == false ? "set" : nil
        if let types = try c.decodeIfPresent([String].self, forKey: .layerTypes) {
            layerTypes = types
        } else {
            let pattern = try c.decodeIfPresent(Int.self, forKey: .slidingWindowPattern)
                ?? c.decodeIfPresent(Int.self, forKey: .slidingWindowPatternPrivate) ?? 6
            layerTypes = (0..<layerCount).map { ($0 + 1) % max(1, pattern) == 0 ? "full_attention" : "sliding_attention" }
        }
    }

    /// Whether layer `index` (0-based) attends globally (RoPE base `ropeTheta`) rather than in a window.
    public func isFullAttention(_ index: Int) -> Bool { layerTypes[index] == "full_attention" }

    /// Longest input this encoder runs: the sliding window, within which sliding and full layers
    /// attend alike. Longer inputs are cut, as `model list` says.
    public var maxLength: Int { min(maxPositions, slidingWindow) }

    public static let familyName = "Gemma 3"

    /// Checks that this encoder can run the configuration.
    public func validate(path: String) throws {
        func fail(_ reason: String) -> ModelError { .unsupportedConfig(path: path, reason: reason) }
        guard bidirectional else {
            throw fail("this Gemma 3 model uses causal attention; only bidirectional encoders (use_bidirectional_attention, as in EmbeddingGemma) are supported")
        }
        guard hiddenActivation == "gelu_pytorch_tanh" else { throw fail("hidden_activation '\(hiddenActivation)' is not supported (only gelu_pytorch_tanh)") }
        guard !attentionBias else { throw fail("attention_bias is not supported") }
        guard ropeScaling == nil else { throw fail("rope_scaling is not supported") }
        guard layerTypes.count == layerCount, layerTypes.allSatisfy({ $0 == "full_attention" || $0 == "sliding_attention" }) else {
            throw fail("layer_types must name full_attention or sliding_attention for each of the \(layerCount) layers")
        }
        guard hiddenSize > 0, layerCount > 0, layerCount <= 128, headCount > 0, keyValueHeadCount > 0,
              headCount % keyValueHeadCount == 0, headSize > 0, headSize % 2 == 0, intermediateSize > 0,
              vocabularySize > 0, maxPositions > 2, slidingWindow > 2, hiddenSize <= 8192, headSize <= 1024
        else {
            throw fail("sizes are not consistent (hidden \(hiddenSize), heads \(headCount)/\(keyValueHeadCount), head dim \(headSize))")
        }
        guard rmsNormEpsilon > 0, queryPreAttentionScalar > 0 else { throw fail("rms_norm_eps and query_pre_attn_scalar must be positive") }
    }
}
