import SemsearchCore

/// The BERT family (BERT, MiniLM, bge, e5, gte) as `LayerEncoder` runs it: post-LayerNorm layers,
/// GELU feed-forward, absolute positions, mean or `[CLS]` pooling, no head.
struct BertArchitecture: EncoderArchitecture {
    let configuration: BertConfiguration
    let pooling: Pooling
    let weights: BertWeights

    init(checkpoint: BertCheckpoint, pooling: Pooling, precision: EncoderPrecision = .fp32) throws {
        configuration = checkpoint.configuration
        self.pooling = pooling
        weights = try BertWeights(checkpoint: checkpoint, precision: precision)
    }

    var layerCount: Int { configuration.layerCount }
    var outputSize: Int { configuration.hiddenSize }
    var maxPositions: Int { configuration.maxPositions }
    var vocabularySize: Int { configuration.vocabularySize }

    func makePass(threads: Int) -> any ForwardPass { BertPass(configuration: configuration, weights: weights, pooling: pooling, threads: threads) }

    func flops(length: Int) -> Double {
        let c = configuration
        let t = Double(length), h = Double(c.hiddenSize), i = Double(c.intermediateSize)
        let dense = 2 * t * (4 * h * h + 2 * h * i)
        let attention = 4 * t * t * h
        return Double(c.layerCount) * (dense + attention)
    }
}
