import Foundation

/// A loaded embedding model: tokenizer plus encoder, ready to turn texts into `LayerEmbeddings`.
///
/// ## Topics
/// - ``load(directory:)``
/// - ``embed(_:threads:)``
/// - ``tokenize(_:threads:)``
public final class EmbeddingModel: Sendable {
    public let descriptor: ModelDescriptor
    public let encoder: BertEncoder

    public init(descriptor: ModelDescriptor) throws {
        self.descriptor = descriptor
        let file = try SafeTensorsFile(path: descriptor.weightsPath)
        let checkpoint = try BertCheckpoint(file: file, configuration: descriptor.configuration)
        encoder = try BertEncoder(checkpoint: checkpoint, pooling: descriptor.pooling)
    }

    /// Loads the model in `directory`.
    public static func load(directory: String) throws -> EmbeddingModel {
        try EmbeddingModel(descriptor: ModelDescriptor(directory: directory))
    }

    public var tokenizer: BertTokenizer { descriptor.tokenizer }
    public var layerCount: Int { descriptor.configuration.layerCount }
    public var hiddenSize: Int { descriptor.configuration.hiddenSize }

    /// Tokenizes `texts` in parallel, each truncated at the model's maximum length.
    public func tokenize(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [TokenizedText] {
        let tokenizer = self.tokenizer
        guard texts.count > 64, threads > 1 else { return texts.map { tokenizer.encode($0) } }
        let grain = (texts.count + threads * 4 - 1) / (threads * 4)
        return ParallelMap.map(count: texts.count, grain: grain) { tokenizer.encode(texts[$0]) }
    }

    /// Embeds `texts`: every layer's pooled vector for each, in input order.
    public func embed(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [LayerEmbeddings] {
        encoder.encode(tokenize(texts, threads: threads).map(\.ids), threads: threads)
    }

    /// Checks a (layer, dim) selection against this model, with a message naming the valid range.
    public func validate(layer: Int, dim: Int) throws {
        guard (1...layerCount).contains(layer) else {
            throw ModelError.invalidSelection("layer \(layer) is out of range: \(descriptor.name) has layers 1…\(layerCount)")
        }
        guard (1...hiddenSize).contains(dim) else {
            throw ModelError.invalidSelection("dim \(dim) is out of range: \(descriptor.name) has dims 1…\(hiddenSize)")
        }
    }
}
