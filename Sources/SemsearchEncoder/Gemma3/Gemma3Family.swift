import SemsearchCore
import Foundation

extension Gemma3Configuration {
    /// Reads a Gemma 3 encoder directory (EmbeddingGemma): `config.json` and `tokenizer.json`.
    /// Inputs are capped at the sliding window (512 tokens), where the reference's sliding and full
    /// layers attend alike.
    static func describe(_ files: ModelFiles) throws -> ModelParts {
        let configuration = try Gemma3Configuration.load(path: files.path("config.json"))
        guard files.exists("tokenizer.json") else { throw ModelError.missingFile(directory: files.directory, file: "tokenizer.json") }
        var maxLength = configuration.maxLength
        if let length = try files.sentenceMaxLength() { maxLength = min(length, maxLength) }
        let tokenizer = try BPETokenizer(tokenizerJSON: files.path("tokenizer.json"), maxLength: maxLength)
        // Added tokens may sit past the embedding table (EmbeddingGemma's image token is id 262,144
        // of 262,144 rows); the encoder maps such ids to 0, and text never produces them.
        guard tokenizer.pieces.count <= configuration.vocabularySize + 64 else {
            throw ModelError.invalidVocabulary(path: files.path("tokenizer.json"),
                reason: "\(tokenizer.pieces.count) tokens but the model has \(configuration.vocabularySize) embeddings")
        }
        var seed = FileManager.default.contents(atPath: files.path("config.json")) ?? Data()
        if let handle = FileHandle(forReadingAtPath: files.path("tokenizer.json")) {
            seed.append(handle.readData(ofLength: 1 << 16))
            seed.append(contentsOf: "\(handle.seekToEndOfFile())".utf8)
            try? handle.close()
        }
        return ModelParts(architecture: .gemma3(configuration), layerCount: configuration.layerCount,
                          hiddenSize: configuration.hiddenSize, maxLength: maxLength, tokenizer: tokenizer,
                          defaultLanguages: "100+ languages", fingerprintSeed: seed)
    }
}
