import Foundation

/// How token states become one vector per text.
public enum Pooling: String, Sendable, Codable, CaseIterable {
    /// Mean over all tokens, `[CLS]` and `[SEP]` included (sentence-transformers' mean pooling).
    case mean
    /// The `[CLS]` token's state.
    case cls
}

/// Everything about a local Hugging Face BERT-family model directory except its weights:
/// architecture, tokenizer settings, pooling, normalization and maximum length.
///
/// Reads `config.json`, `vocab.txt` (or the vocabulary inside `tokenizer.json`),
/// `tokenizer_config.json`, `1_Pooling/config.json`, `modules.json` and
/// `sentence_bert_config.json`; only `config.json`, a vocabulary and a `*.safetensors` file are
/// required.
public struct ModelDescriptor: Sendable {
    /// The directory the model was read from.
    public let directory: String
    /// A short name: the directory's last path component.
    public let name: String
    public let configuration: BertConfiguration
    public let pooling: Pooling
    /// Whether the model's own pipeline L2-normalizes its output (a `Normalize` module).
    public let normalizes: Bool
    /// Maximum sequence length in tokens, special tokens included.
    public let maxLength: Int
    public let tokenizer: BertTokenizer
    /// Path of the safetensors file holding the weights.
    public let weightsPath: String
    /// Identifies the model's behaviour: a hash of its config, vocabulary, tokenizer and pooling
    /// settings, and the weights file's size and header. An index records it, so vectors from
    /// another model are never mixed in.
    public let fingerprint: String

    /// Reads the model description from `directory`.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError.notFound(directory)
        }
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        func path(_ file: String) -> String { url.appendingPathComponent(file).path }
        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

        guard exists("config.json") else { throw ModelError.missingFile(directory: directory, file: "config.json") }
        let configuration = try BertConfiguration.load(path: path("config.json"))

        let vocabulary: Vocabulary
        if exists("vocab.txt") {
            vocabulary = try Vocabulary.load(vocabTxt: path("vocab.txt"))
        } else if exists("tokenizer.json") {
            vocabulary = try Vocabulary.load(tokenizerJSON: path("tokenizer.json"))
        } else {
            throw ModelError.missingFile(directory: directory, file: "vocab.txt (or tokenizer.json)")
        }
        guard vocabulary.count <= configuration.vocabularySize else {
            throw ModelError.invalidVocabulary(path: path("vocab.txt"),
                reason: "\(vocabulary.count) tokens but the model has \(configuration.vocabularySize) embeddings")
        }

        let tokenizerConfig = try Self.jsonObject(path("tokenizer_config.json"))
        let lowercases = tokenizerConfig?["do_lower_case"] as? Bool
            ?? !vocabulary.tokens.contains { $0.first?.isUppercase == true && !$0.hasPrefix("[") }
        let stripsAccents = tokenizerConfig?["strip_accents"] as? Bool
        let splitsCJK = tokenizerConfig?["tokenize_chinese_chars"] as? Bool ?? true

        let pooling: Pooling
        if let poolingConfig = try Self.jsonObject(path("1_Pooling/config.json")) {
            if poolingConfig["pooling_mode_cls_token"] as? Bool == true {
                pooling = .cls
            } else if poolingConfig["pooling_mode_mean_tokens"] as? Bool == true {
                pooling = .mean
            } else {
                throw ModelError.unsupportedConfig(path: path("1_Pooling/config.json"),
                                                   reason: "only mean or CLS pooling is supported")
            }
        } else {
            pooling = .mean
        }

        // Without modules.json we normalize: search compares by cosine either way.
        var normalizes = true
        if let data = FileManager.default.contents(atPath: path("modules.json")) {
            guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
                throw ModelError.invalidJSON(path: path("modules.json"), reason: "expected a list of modules")
            }
            normalizes = modules.contains { ($0["type"] as? String)?.hasSuffix("Normalize") == true }
        }

        var maxLength = min(512, configuration.maxPositions)
        if let sbert = try Self.jsonObject(path("sentence_bert_config.json")),
           let length = sbert["max_seq_length"] as? Int, length > 2 {
            maxLength = min(length, configuration.maxPositions)
        }

        let weightsPath: String
        if exists("model.safetensors") {
            weightsPath = path("model.safetensors")
        } else {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
                .filter { $0.hasSuffix(".safetensors") }.sorted()
            guard files.count == 1 else {
                throw ModelError.missingFile(directory: directory, file: files.isEmpty
                    ? "model.safetensors" : "a single *.safetensors file (found \(files.count); sharded weights are not supported)")
            }
            weightsPath = path(files[0])
        }

        self.directory = url.path
        self.name = url.lastPathComponent
        self.configuration = configuration
        self.pooling = pooling
        self.normalizes = normalizes
        self.maxLength = maxLength
        self.tokenizer = BertTokenizer(vocabulary: vocabulary, lowercases: lowercases,
                                       stripsAccents: stripsAccents, splitsCJK: splitsCJK, maxLength: maxLength)
        self.weightsPath = weightsPath

        var hash = ContentHash()
        hash.update(FileManager.default.contents(atPath: path("config.json")) ?? Data())
        for token in vocabulary.tokens { hash.update(token.utf8); hash.update([0]) }
        hash.update("\(lowercases) \(String(describing: stripsAccents)) \(splitsCJK) \(pooling) \(maxLength)".utf8)
        if let handle = FileHandle(forReadingAtPath: weightsPath) {
            hash.update(handle.readData(ofLength: 1 << 16))
            hash.update("\(handle.seekToEndOfFile())".utf8)
            try? handle.close()
        }
        fingerprint = hash.hex
    }

    /// A JSON object file, or nil when the file does not exist.
    private static func jsonObject(_ path: String) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.invalidJSON(path: path, reason: "expected a JSON object")
        }
        return object
    }
}
