import SemsearchCore
import Foundation

extension BertConfiguration {
    /// Reads a BERT-family directory: `config.json`, `vocab.txt` (or the vocabulary inside
    /// `tokenizer.json`), `tokenizer_config.json`, `1_Pooling/config.json` and the
    /// sentence-transformers maximum length.
    static func describe(_ files: ModelFiles) throws -> ModelParts {
        let configuration = try BertConfiguration.load(path: files.path("config.json"))
        let vocabulary: Vocabulary
        let vocabularyPath: String
        if files.exists("vocab.txt") {
            vocabularyPath = files.path("vocab.txt")
            vocabulary = try Vocabulary.load(vocabTxt: vocabularyPath)
        } else if files.exists("tokenizer.json") {
            vocabularyPath = files.path("tokenizer.json")
            vocabulary = try Vocabulary.load(tokenizerJSON: vocabularyPath)
        } else {
            throw ModelError.missingFile(directory: files.directory, file: "vocab.txt (or tokenizer.json)")
        }
        guard vocabulary.count <= configuration.vocabularySize else {
            throw ModelError.invalidVocabulary(path: vocabularyPath,
                reason: "\(vocabulary.count) tokens but the model has \(configuration.vocabularySize) embeddings")
        }

        let tokenizerConfig = try files.decode(SentenceTransformersFiles.TokenizerConfig.self, "tokenizer_config.json")
        let lowercases = tokenizerConfig?.doLowerCase
            ?? !vocabulary.tokens.contains { $0.first?.isUppercase == true && !$0.hasPrefix("[") }
        let stripsAccents = tokenizerConfig?.stripAccents
        let splitsCJK = tokenizerConfig?.tokenizeChineseChars ?? true

        let pooling: Pooling
        if let poolingConfig = try files.decode(SentenceTransformersFiles.PoolingConfig.self, "1_Pooling/config.json") {
            if poolingConfig.clsToken == true {
                pooling = .cls
            } else if poolingConfig.meanTokens == true {
                pooling = .mean
            } else {
                throw ModelError.unsupportedConfig(path: files.path("1_Pooling/config.json"), reason: "only mean or CLS pooling is supported")
            }
        } else {
            pooling = .mean
        }

        var maxLength = min(512, configuration.maxPositions)
        if let length = try files.sentenceMaxLength() { maxLength = min(length, configuration.maxPositions) }
        let tokenizer = BertTokenizer(vocabulary: vocabulary, lowercases: lowercases, stripsAccents: stripsAccents,
                                      splitsCJK: splitsCJK, maxLength: maxLength)

        var seed = FileManager.default.contents(atPath: files.path("config.json")) ?? Data()
        for token in vocabulary.tokens { seed.append(contentsOf: token.utf8); seed.append(0) }
        seed.append(contentsOf: "\(lowercases) \(String(describing: stripsAccents)) \(splitsCJK) \(pooling) \(maxLength)".utf8)
        return ModelParts(architecture: .bert(configuration, pooling), layerCount: configuration.layerCount,
                          hiddenSize: configuration.hiddenSize, maxLength: maxLength, tokenizer: tokenizer,
                          defaultLanguages: "see the model card", fingerprintSeed: seed)
    }
}
