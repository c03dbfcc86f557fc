import SemsearchKit
import SemsearchCore
import SemsearchEncoder

/// Throughput of the embedding engine on a corpus: what `semsearch bench embed` reports.
public struct EmbeddingBenchmark: Sendable {
    public var texts: Int
    public var tokens: Int
    public var seconds: Double
    public var threads: Int
    public var peakResidentBytes: Int
    /// Floating-point operations of the forward passes (2 per multiply-add).
    public var flops: Double
    /// Every text's layer vectors, when the run was asked to keep them (`keepEmbeddings`).
    public var embeddings: [LayerEmbeddings] = []
    /// The encoder's precision.
    public var precision: EncoderPrecision = .fp32

    public var tokensPerSecond: Double { Double(tokens) / seconds }
    public var textsPerSecond: Double { Double(texts) / seconds }
    public var gigaflopsPerSecond: Double { flops / seconds / 1e9 }

    /// Tokenizes and encodes every text of `corpus` with all layers, timing the whole pipeline.
    public static func run(model: EmbeddingModel, texts: [String], threads: Int, keepEmbeddings: Bool = false) -> EmbeddingBenchmark {
        let start = ResourceUsage.now()
        let tokenized = model.tokenize(texts, threads: threads)
        let embeddings = model.encoder.encode(tokenized.map(\.ids), threads: threads)
        let seconds = ResourceUsage.now() - start
        precondition(embeddings.count == texts.count)
        let lengths = tokenized.map(\.count)
        return EmbeddingBenchmark(
            texts: texts.count, tokens: lengths.reduce(0, +), seconds: seconds, threads: threads,
            peakResidentBytes: ResourceUsage.peakResidentBytes(),
            flops: lengths.reduce(0) { $0 + model.encoder.flops(length: $1) },
            embeddings: keepEmbeddings ? embeddings : [], precision: model.precision)
    }

}
