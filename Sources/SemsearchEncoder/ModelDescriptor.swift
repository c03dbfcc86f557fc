import SemsearchCore
import Foundation

/// Everything about a local Hugging Face model directory except its weights: architecture,
/// tokenizer, prompts, pooling, head, maximum length, and a fingerprint of it all.
///
/// `config.json`'s `model_type` picks the family: `bert` reads `vocab.txt` (or `tokenizer.json`)
/// and `1_Pooling`; `gemma3_text` reads `tokenizer.json`, the `Dense` modules of `modules.json`
/// and the prompts of `config_sentence_transformers.json`.
public struct ModelDescriptor: Sendable {
    /// The directory the model was read from.
    public let directory: String
    /// A short name: the directory's last path component.
    public let name: String
    public let architecture: ModelArchitecture
    /// Number of layers, each giving a pooled vector.
    public let layerCount: Int
    /// Width of the embedding: the last `Dense` module's `out_features` when `modules.json` lists
    /// one, else the model's hidden size.
    public let hiddenSize: Int
    /// Maximum sequence length in tokens, special tokens and prompt included.
    public let maxLength: Int
    public let tokenizer: any TextTokenizer
    /// The texts put before queries and documents, from the model's sentence-transformers config.
    public let prompts: ModelPrompts
    /// Whether the model's own pipeline L2-normalizes its output (a `Normalize` module); true when
    /// the directory has no `modules.json`.
    public let normalizes: Bool
    /// Directories of the sentence-transformers `Dense` modules listed in `modules.json`, in order.
    /// Only the Gemma 3 family applies them after pooling; the BERT encoder ignores them, though
    /// they still set `hiddenSize` and enter the fingerprint.
    public let headDirectories: [String]
    /// Languages the model reads, as its card says (`English`, `100+ languages`).
    public let languages: String
    /// Path of the safetensors file holding the encoder weights.
    public let weightsPath: String
    /// Identifies the model's behaviour: a hash of its configs, vocabulary, tokenizer, prompts and
    /// pooling, and the weights files' sizes and headers. An index records it, so vectors from
    /// another model are never mixed in.
    public let fingerprint: String

    /// Reads the model description from `directory`.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError.notFound(directory)
        }
        let files = ModelFiles(directory: directory)
        guard files.exists("config.json") else { throw ModelError.missingFile(directory: directory, file: "config.json") }
        let modelType = try files.modelType()
        let parts: ModelParts
        switch modelType {
        case "bert": parts = try BertConfiguration.describe(files)
        case "gemma3_text": parts = try Gemma3Configuration.describe(files)
        default:
            throw ModelError.unsupportedConfig(path: files.path("config.json"),
                reason: "model_type '\(modelType)' is not supported; semsearch runs \(ModelArchitecture.supportedTypes)")
        }

        var normalizes = true
        var headDirectories: [String] = []
        if let modules = try files.decode([SentenceTransformersFiles.Module].self, "modules.json") {
            normalizes = modules.contains { $0.type?.hasSuffix("Normalize") == true }
            headDirectories = modules.filter { $0.type?.hasSuffix(".Dense") == true }.compactMap(\.path).map(files.path)
        }
        let prompts = try ModelPrompts.load(files)
        let weightsPath = try files.weightsPath()

        self.directory = files.url.path
        self.name = files.url.lastPathComponent
        self.architecture = parts.architecture
        self.layerCount = parts.layerCount
        self.maxLength = parts.maxLength
        self.tokenizer = parts.tokenizer
        self.prompts = prompts
        self.normalizes = normalizes
        self.headDirectories = headDirectories
        self.weightsPath = weightsPath
        self.languages = files.cardLanguages() ?? parts.defaultLanguages
        self.hiddenSize = try headDirectories.isEmpty ? parts.hiddenSize : files.headOutputSize(headDirectories) ?? parts.hiddenSize

        var hash = ContentHash()
        hash.update(parts.fingerprintSeed)
        // Only what BERT models lacked before prompts and heads existed, so their indexes stay valid.
        if prompts != ModelPrompts() || !headDirectories.isEmpty {
            hash.update("\(prompts.query ?? "-")\u{1}\(prompts.document ?? "-")\u{1}\(maxLength)\u{1}\(headDirectories.count)".utf8)
        }
        for path in [weightsPath] + headDirectories.map({ ($0 as NSString).appendingPathComponent("model.safetensors") }) {
            if let handle = FileHandle(forReadingAtPath: path) {
                hash.update(handle.readData(ofLength: 1 << 16))
                hash.update("\(handle.seekToEndOfFile())".utf8)
                try? handle.close()
            }
        }
        fingerprint = hash.hex
    }

    /// The pooling of the model's sentence-transformers pipeline.
    public var pooling: Pooling {
        if case .bert(_, let pooling) = architecture { return pooling }
        return .mean
    }

    /// The Matryoshka prefix sizes offered for this model (`MatryoshkaCell.standardDims`).
    public var dimsLadder: [Int] { MatryoshkaCell.standardDims(width: hiddenSize) }

    /// The layers an index stores unless told otherwise: all of a shallow model's (up to 12), and
    /// four evenly spaced ones of a deep model's (6, 12, 18, 24 for EmbeddingGemma), so 2D
    /// Matryoshka stays comparable at a sixth of the all-layer storage (6 KB instead of 36 KB a
    /// chunk in fp16).
    public var defaultStoredLayers: [Int] {
        guard layerCount > 12 else { return Array(1...layerCount) }
        let step = max(1, layerCount / 4)
        return Array(Set(stride(from: step, through: layerCount, by: step)).union([layerCount])).sorted()
    }
}
