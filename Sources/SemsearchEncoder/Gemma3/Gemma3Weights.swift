import SemsearchCore
import Foundation

/// All Gemma 3 encoder weights, converted once at load (the layers' matrices to fp32, or with
/// `EncoderPrecision.int8` quantized from a temporary fp32 copy), except the token table (262,144 ×
/// 768 for EmbeddingGemma, 400 MB in fp16): it stays mapped and rows are converted as tokens need them.
/// Also holds the rotary tables of both RoPE bases.
struct Gemma3Weights: Sendable {
    let embeddings: TensorRows
    /// Token embeddings are scaled by √hidden (in fp32, as the reference does).
    let embeddingScale: Float
    let layers: [Gemma3LayerWeights]
    let finalNorm: FloatBuffer
    /// cos and sin of position × frequency, `maxLength × headSize/2` each, for the local and global bases.
    let localRotary: RotaryTable, globalRotary: RotaryTable

    init(checkpoint: Gemma3Checkpoint, precision: EncoderPrecision = .fp32) throws {
        let c = checkpoint.configuration
        let h = c.hiddenSize
        embeddings = try checkpoint.rows("embed_tokens.weight", shape: [c.vocabularySize, h])
        embeddingScale = Float(Double(h).squareRoot())
        finalNorm = try Self.norm(checkpoint, "norm.weight", h, nil)
        localRotary = RotaryTable(base: c.ropeLocalTheta, headSize: c.headSize, positions: c.maxLength)
        globalRotary = RotaryTable(base: c.ropeTheta, headSize: c.headSize, positions: c.maxLength)
        let q = c.headCount * c.headSize, kv = c.keyValueHeadCount * c.headSize, i = c.intermediateSize
        let matrices = precision == .fp32 ? q * h + 2 * kv * h + h * q + 3 * i * h : 0
        let perLayer = matrices + 4 * h + 2 * c.headSize
        let arena = WeightArena(floats: c.layerCount * perLayer, buffers: c.layerCount * 11)
        layers = try ParallelMap.map(count: c.layerCount) { l in Result { try Self.layer(l, checkpoint, arena, precision) } }.map { try $0.get() }
        checkpoint.file.releaseResidentPages()
    }

    /// The matrices `names` (`rows[i] × width` each) stacked as one `LinearWeight` of `precision`.
    private static func matrix(_ checkpoint: Gemma3Checkpoint, _ names: [String], _ rows: [Int], _ width: Int,
                               _ arena: WeightArena, _ precision: EncoderPrecision, _ label: String,
                               _ activations: ActivationWidth) throws -> LinearWeight {
        try LinearWeight.stacking(Array(zip(names, rows)), inputs: width, precision: precision, activations: activations,
                                  arena: arena, label: label) {
            try checkpoint.load($0, shape: $1, into: $2, at: $3)
        }
    }

    /// An RMSNorm weight `w` stored as `1 + w`.
    private static func norm(_ checkpoint: Gemma3Checkpoint, _ name: String, _ count: Int, _ arena: WeightArena?) throws -> FloatBuffer {
        let buffer = arena.map { FloatBuffer(arena: $0, count: count) } ?? FloatBuffer(uninitializedCount: count)
        try checkpoint.load(name, shape: [count], into: buffer)
        for j in 0..<count { buffer.pointer[j] += 1 }
        return buffer
    }

    private static func layer(_ l: Int, _ checkpoint: Gemma3Checkpoint, _ arena: WeightArena, _ precision: EncoderPrecision) throws -> Gemma3LayerWeights {
        let c = checkpoint.configuration
        let h = c.hiddenSize, q = c.headCount * c.headSize, kv = c.keyValueHeadCount * c.headSize, i = c.intermediateSize
        let p = "layers.\(l)."
        return Gemma3LayerWeights(
            inputNorm: try norm(checkpoint, p + "input_layernorm.weight", h, arena),
            query: try matrix(checkpoint, [p + "self_attn.q_proj.weight"], [q], h, arena, precision, "L\(l + 1) q", .bits8Blocks),
            keyValue: try matrix(checkpoint, [p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight"], [kv, kv], h, arena, precision, "L\(l + 1) kv", .bits8Blocks),
            output: try matrix(checkpoint, [p + "self_attn.o_proj.weight"], [h], q, arena, precision, "L\(l + 1) attention.out", .bits8),
            queryNorm: try norm(checkpoint, p + "self_attn.q_norm.weight", c.headSize, arena),
            keyNorm: try norm(checkpoint, p + "self_attn.k_norm.weight", c.headSize, arena),
            postAttentionNorm: try norm(checkpoint, p + "post_attention_layernorm.weight", h, arena),
            preFeedForwardNorm: try norm(checkpoint, p + "pre_feedforward_layernorm.weight", h, arena),
            postFeedForwardNorm: try norm(checkpoint, p + "post_feedforward_layernorm.weight", h, arena),
            gateUp: try matrix(checkpoint, [p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight"], [i, i], h, arena, precision, "L\(l + 1) ffn.gate_up", .bits8Blocks),
            down: try matrix(checkpoint, [p + "mlp.down_proj.weight"], [h], i, arena, precision, "L\(l + 1) ffn.down", .bits8Blocks))
    }
}
