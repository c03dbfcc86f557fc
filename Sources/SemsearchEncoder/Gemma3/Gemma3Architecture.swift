import SemsearchCore

/// The Gemma 3 bidirectional encoder (EmbeddingGemma) as `LayerEncoder` runs it, with the model's
/// sentence-transformers head applied to each layer's pooled vector.
struct Gemma3Architecture: EncoderArchitecture {
    let configuration: Gemma3Configuration
    let weights: Gemma3Weights
    let head: DenseHead

    init(checkpoint: Gemma3Checkpoint, head: DenseHead, precision: EncoderPrecision = .fp32) throws {
        configuration = checkpoint.configuration
        weights = try Gemma3Weights(checkpoint: checkpoint, precision: precision)
        if !head.layers.isEmpty, head.inputSize != configuration.hiddenSize {
            throw ModelError.unsupportedConfig(path: checkpoint.file.path,
                reason: "the Dense head reads \(head.inputSize) values but the model's hidden size is \(configuration.hiddenSize)")
        }
        self.head = head
    }

    var layerCount: Int { configuration.layerCount }
    var outputSize: Int { head.layers.isEmpty ? configuration.hiddenSize : head.outputSize }
    var maxPositions: Int { configuration.maxLength }
    var vocabularySize: Int { configuration.vocabularySize }

    func makePass(threads: Int) -> any ForwardPass { Gemma3Pass(configuration: configuration, weights: weights, head: head, threads: threads) }

    func flops(length: Int) -> Double {
        let c = configuration
        let t = Double(length), h = Double(c.hiddenSize), d = Double(c.headSize)
        let q = Double(c.headCount) * d, kv = Double(c.keyValueHeadCount) * d, i = Double(c.intermediateSize)
        let dense = 2 * t * (h * q + 2 * h * kv + q * h + 3 * h * i)
        let attention = 4 * t * t * q
        return Double(c.layerCount) * (dense + attention + head.flopsPerVector)
    }
}
