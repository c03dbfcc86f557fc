import SemsearchCore
import Foundation

/// A WordPiece vocabulary: token strings and their ids.
public struct Vocabulary: Sendable {
    /// Tokens by id.
    public let tokens: [String]
    private let ids: [String: Int32]

    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32

    /// Builds a vocabulary from tokens in id order.
    public init(tokens: [String], source: String) throws {
        guard !tokens.isEmpty else { throw ModelError.invalidVocabulary(path: source, reason: "it is empty") }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() { ids[token] = Int32(index) }
        func require(_ token: String) throws -> Int32 {
            guard let id = ids[token] else {
                throw ModelError.invalidVocabulary(path: source, reason: "it has no \(token) token")
            }
            return id
        }
        self.tokens = tokens
        self.ids = ids
        unknownID = try require("[UNK]")
        classifierID = try require("[CLS]")
        separatorID = try require("[SEP]")
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, if it is in the vocabulary.
    public func id(for token: String) -> Int32? { ids[token] }

    /// Reads a `vocab.txt` (one token per line, line number = id).
    public static func load(vocabTxt path: String) throws -> Vocabulary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.unreadable(path: path, reason: "cannot read it")
        }
        // Split the bytes, not the `String`: splitting 30,000 lines by grapheme cluster took
        // longer than everything else a search does before it embeds the query.
        var tokens: [String] = []
        tokens.reserveCapacity(32_000)
        var invalid = false
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            func emit(_ end: Int) {
                var stop = end
                if stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                guard let token = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) else {
                    invalid = true
                    return
                }
                tokens.append(token)
            }
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
                emit(i)
                start = i + 1
            }
            if start < bytes.count { emit(bytes.count) }
        }
        if invalid { throw ModelError.unreadable(path: path, reason: "not readable as UTF-8 text") }
        return try Vocabulary(tokens: tokens, source: path)
    }

    /// Reads the WordPiece vocabulary embedded in a fast-tokenizer `tokenizer.json`.
    public static func load(tokenizerJSON path: String) throws -> Vocabulary {
        /// The part of `tokenizer.json` a WordPiece vocabulary is in.
        struct File: Decodable {
            struct Model: Decodable {
                var type: String?
                var vocab: [String: Int]?
            }
            var model: Model?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelError.invalidJSON(path: path, reason: "cannot read tokenizer.json (\(DecodingFailure.describe(error)))")
        }
        guard file.model?.type == "WordPiece", let vocab = file.model?.vocab else {
            throw ModelError.invalidVocabulary(path: path, reason: "tokenizer.json holds no WordPiece vocabulary")
        }
        var tokens = [String](repeating: "", count: (vocab.values.max() ?? -1) + 1)
        for (token, id) in vocab where id >= 0 { tokens[id] = token }
        return try Vocabulary(tokens: tokens, source: path)
    }
}
