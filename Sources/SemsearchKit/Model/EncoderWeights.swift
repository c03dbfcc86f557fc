/// One transformer layer's weights, laid out for the forward pass: Q, K and V fused into one
/// `3H × H` matrix so a single GEMM produces all three.
struct EncoderLayerWeights: Sendable {
    let qkv: FloatBuffer, qkvBias: FloatBuffer
    let attentionOutput: FloatBuffer, attentionOutputBias: FloatBuffer
    let attentionNormScale: FloatBuffer, attentionNormBias: FloatBuffer
    let intermediate: FloatBuffer, intermediateBias: FloatBuffer
    let output: FloatBuffer, outputBias: FloatBuffer
    let outputNormScale: FloatBuffer, outputNormBias: FloatBuffer
}

/// All encoder weights in fp32, converted from the checkpoint once at load.
struct EncoderWeights: Sendable {
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    /// Row 0 of the token-type table: every input is a single segment.
    let tokenTypeEmbedding: FloatBuffer
    let embeddingNormScale: FloatBuffer, embeddingNormBias: FloatBuffer
    let layers: [EncoderLayerWeights]

    init(checkpoint: BertCheckpoint) throws {
        let c = checkpoint.configuration
        let h = c.hiddenSize, i = c.intermediateSize
        func load(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
            FloatBuffer(try checkpoint.floats(name, shape: shape))
        }
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [c.maxPositions, h])
        let types = try checkpoint.floats("embeddings.token_type_embeddings.weight", shape: [c.typeVocabularySize, h])
        tokenTypeEmbedding = FloatBuffer(Array(types[0..<h]))
        embeddingNormScale = try load("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try load("embeddings.LayerNorm.bias", [h])
        layers = try (0..<c.layerCount).map { l in
            let p = "encoder.layer.\(l)."
            let qkv = FloatBuffer(count: 3 * h * h), qkvBias = FloatBuffer(count: 3 * h)
            for (index, part) in ["query", "key", "value"].enumerated() {
                qkv.write(try checkpoint.floats(p + "attention.self.\(part).weight", shape: [h, h]), at: index * h * h)
                qkvBias.write(try checkpoint.floats(p + "attention.self.\(part).bias", shape: [h]), at: index * h)
            }
            return EncoderLayerWeights(
                qkv: qkv, qkvBias: qkvBias,
                attentionOutput: try load(p + "attention.output.dense.weight", [h, h]),
                attentionOutputBias: try load(p + "attention.output.dense.bias", [h]),
                attentionNormScale: try load(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try load(p + "attention.output.LayerNorm.bias", [h]),
                intermediate: try load(p + "intermediate.dense.weight", [i, h]),
                intermediateBias: try load(p + "intermediate.dense.bias", [i]),
                output: try load(p + "output.dense.weight", [h, i]),
                outputBias: try load(p + "output.dense.bias", [h]),
                outputNormScale: try load(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try load(p + "output.LayerNorm.bias", [h]))
        }
    }
}
