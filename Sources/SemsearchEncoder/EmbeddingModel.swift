import SemsearchCore
import Foundation

/// A loaded embedding model: tokenizer plus encoder of its family, ready to turn texts into
/// `LayerEmbeddings`.
///
/// ## Topics
/// - ``load(directory:)``
/// - ``embed(_:prompt:threads:)``
/// - ``tokenize(_:threads:)``
public final class EmbeddingModel: Sendable {
    public let descriptor: ModelDescriptor
    public let encoder: LayerEncoder
    /// The arithmetic of the encoder's dense layers (fp32 unless asked).
    public let precision: EncoderPrecision

    public init(descriptor: ModelDescriptor, precision: EncoderPrecision = .fp32) throws {
        self.descriptor = descriptor
        self.precision = precision
        let file = try SafeTensorsFile(path: descriptor.weightsPath)
        switch descriptor.architecture {
        case .bert(let configuration, let pooling):
            let checkpoint = try BertCheckpoint(file: file, configuration: configuration)
            encoder = LayerEncoder(architecture: try BertArchitecture(checkpoint: checkpoint, pooling: pooling, precision: precision))
        case .gemma3(let configuration):
            let checkpoint = try Gemma3Checkpoint(file: file, configuration: configuration)
            let head = try DenseHead(directories: descriptor.headDirectories)
            encoder = LayerEncoder(architecture: try Gemma3Architecture(checkpoint: checkpoint, head: head, precision: precision))
        }
    }

    /// Loads the model in `directory` with `precision`.
    public static func load(directory: String, precision: EncoderPrecision = .fp32) throws -> EmbeddingModel {
        try EmbeddingModel(descriptor: ModelDescriptor(directory: directory), precision: precision)
    }

    public var tokenizer: any TextTokenizer { descriptor.tokenizer }
    public var prompts: ModelPrompts { descriptor.prompts }
    public var layerCount: Int { descriptor.layerCount }
    public var hiddenSize: Int { descriptor.hiddenSize }

    /// Tokenizes `texts`, each truncated at the model's maximum length: serially when `threads` is 1
    /// or there are 64 texts or fewer, else on all cores (`ParallelMap`; `threads` only sets the grain).
    public func tokenize(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [TokenizedText] {
        let tokenizer = self.tokenizer
        guard texts.count > 64, threads > 1 else { return texts.map { tokenizer.encode($0) } }
        let grain = (texts.count + threads * 4 - 1) / (threads * 4)
        return ParallelMap.map(count: texts.count, grain: grain) { tokenizer.encode(texts[$0]) }
    }

    /// Embeds `texts`, each with the model's `prompt` before it (no prompt by default): every
    /// layer's pooled vector for each, in input order.
    public func embed(_ texts: [String], prompt: ModelPrompts.Kind = .none,
                      threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [LayerEmbeddings] {
        let prompts = self.prompts
        let inputs = prompt == .none ? texts : texts.map { prompts.apply(prompt, to: $0) }
        return encoder.encode(tokenize(inputs, threads: threads).map(\.ids), threads: threads)
    }

    /// Embeds search queries: with the model's query prompt, when it has one.
    public func embedQueries(_ queries: [String], threads: Int = 1) -> [LayerEmbeddings] {
        embed(queries, prompt: .query, threads: threads)
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
