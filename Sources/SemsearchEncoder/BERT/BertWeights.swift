import SemsearchCore


/// All encoder weights, converted from the checkpoint once at load — except the word embedding
/// table, the largest tensor, whose rows are converted as tokens need them. The layers' matrices are
/// fp32 or, with `EncoderPrecision.int8`, quantized from a temporary fp32 copy.
struct BertWeights: Sendable {
    let wordEmbeddings: TensorRows
    let positionEmbeddings: FloatBuffer
    /// Row 0 of the token-type table: every input is a single segment.
    let tokenTypeEmbedding: FloatBuffer
    let embeddingNormScale: FloatBuffer, embeddingNormBias: FloatBuffer
    let layers: [BertLayerWeights]

    init(checkpoint: BertCheckpoint, precision: EncoderPrecision = .fp32) throws {
        let c = checkpoint.configuration
        let h = c.hiddenSize
        wordEmbeddings = try checkpoint.rows("embeddings.word_embeddings.weight", shape: [c.vocabularySize, h])
        positionEmbeddings = try Self.load(checkpoint, "embeddings.position_embeddings.weight", [c.maxPositions, h])
        let types = try checkpoint.floats("embeddings.token_type_embeddings.weight", shape: [c.typeVocabularySize, h])
        tokenTypeEmbedding = FloatBuffer(Array(types[0..<h]))
        embeddingNormScale = try Self.load(checkpoint, "embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try Self.load(checkpoint, "embeddings.LayerNorm.bias", [h])
        // Layers convert independently, so they load on all cores: it is most of a search's start-up.
        let i = c.intermediateSize
        let matrices = precision == .fp32 ? 4 * h * h + 2 * h * i : 0
        let perLayer = matrices + i + 9 * h
        let arena = WeightArena(floats: c.layerCount * perLayer, buffers: c.layerCount * 14)
        layers = try ParallelMap.map(count: c.layerCount) { l in Result { try Self.layer(l, checkpoint, arena, precision) } }.map { try $0.get() }
    }

    private static func load(_ checkpoint: BertCheckpoint, _ name: String, _ shape: [Int], _ arena: WeightArena? = nil) throws -> FloatBuffer {
        let count = shape.reduce(1, *)
        let buffer = arena.map { FloatBuffer(arena: $0, count: count) } ?? FloatBuffer(uninitializedCount: count)
        try checkpoint.load(name, shape: shape, into: buffer)
        return buffer
    }

    /// The matrices `names` (`rows × width` each) stacked as one `LinearWeight` of `precision`.
    private static func matrix(_ checkpoint: BertCheckpoint, _ names: [String], _ rows: Int, _ width: Int,
                               _ arena: WeightArena, _ precision: EncoderPrecision, _ label: String,
                               _ activations: ActivationWidth) throws -> LinearWeight {
        try LinearWeight.stacking(names.map { ($0, rows) }, inputs: width, precision: precision, activations: activations,
                                  arena: arena, label: label) {
            try checkpoint.load($0, shape: $1, into: $2, at: $3)
        }
    }

    private static func layer(_ l: Int, _ checkpoint: BertCheckpoint, _ arena: WeightArena, _ precision: EncoderPrecision) throws -> BertLayerWeights {
        let h = checkpoint.configuration.hiddenSize, i = checkpoint.configuration.intermediateSize
        let p = "encoder.layer.\(l)."
        let qkv = try matrix(checkpoint, ["query", "key", "value"].map { p + "attention.self.\($0).weight" }, h, h, arena, precision, "L\(l + 1) qkv", .bits8Blocks)
        let qkvBias = FloatBuffer(arena: arena, count: 3 * h)
        for (index, part) in ["query", "key", "value"].enumerated() {
            try checkpoint.load(p + "attention.self.\(part).bias", shape: [h], into: qkvBias, at: index * h)
        }
        return BertLayerWeights(
            qkv: qkv, qkvBias: qkvBias,
            attentionOutput: try matrix(checkpoint, [p + "attention.output.dense.weight"], h, h, arena, precision, "L\(l + 1) attention.out", .bits8Blocks),
            attentionOutputBias: try load(checkpoint, p + "attention.output.dense.bias", [h], arena),
            attentionNormScale: try load(checkpoint, p + "attention.output.LayerNorm.weight", [h], arena),
            attentionNormBias: try load(checkpoint, p + "attention.output.LayerNorm.bias", [h], arena),
            intermediate: try matrix(checkpoint, [p + "intermediate.dense.weight"], i, h, arena, precision, "L\(l + 1) ffn.up", .bits8Blocks),
            intermediateBias: try load(checkpoint, p + "intermediate.dense.bias", [i], arena),
            output: try matrix(checkpoint, [p + "output.dense.weight"], h, i, arena, precision, "L\(l + 1) ffn.down", .bits8Blocks),
            outputBias: try load(checkpoint, p + "output.dense.bias", [h], arena),
            outputNormScale: try load(checkpoint, p + "output.LayerNorm.weight", [h], arena),
            outputNormBias: try load(checkpoint, p + "output.LayerNorm.bias", [h], arena))
    }
}
