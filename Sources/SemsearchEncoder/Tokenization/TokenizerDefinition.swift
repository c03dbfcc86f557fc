import SemsearchCore
import Foundation

/// What a BPE `tokenizer.json` declares, read and checked: pieces, merges, added tokens, the
/// normalizer and pre-tokenizer (only the ones `BPETokenizer` runs exactly), and the post-processor's
/// special-token template. Anything else is refused with the name of what is unsupported.
struct TokenizerDefinition {
    var pieces: [String]
    var merges: [UInt64: UInt64]
    var addedTokens: [(content: String, id: Int32)]
    var unknownID: Int32
    var prefixIDs: [Int32]
    var suffixIDs: [Int32]
    var spaceReplacement: Unicode.Scalar?

    static func load(path: String) throws -> TokenizerDefinition {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ModelError.unreadable(path: path, reason: error.localizedDescription)
        }
        var cursor = JSONCursor(bytes: [UInt8](data), path: path)
        var vocabulary: [[UInt8]: Int32] = [:]
        var rawMerges: [([UInt8], [UInt8])] = []
        var modelType = "", unknownToken: String?, byteFallback = false
        var added: [(content: String, id: Int32)] = []
        var normalizer: Any = NSNull(), preTokenizer: Any = NSNull(), postProcessor: Any = NSNull()
        func unsupported(_ reason: String) -> ModelError { .unsupportedConfig(path: path, reason: reason) }

        try cursor.forEachMember { cursor, key in
            switch key {
            case "added_tokens":
                try cursor.forEachElement { cursor in
                    guard let object = try cursor.object() as? [String: Any], let content = object["content"] as? String,
                          let id = object["id"] as? Int else { throw cursor.failure("an added token needs content and id") }
                    added.append((content, Int32(id)))
                }
            case "normalizer": normalizer = try cursor.object()
            case "pre_tokenizer": preTokenizer = try cursor.object()
            case "post_processor": postProcessor = try cursor.object()
            case "model":
                try cursor.forEachMember { cursor, key in
                    switch key {
                    case "type": modelType = try cursor.string()
                    case "unk_token": unknownToken = cursor.isNull() ? nil : try cursor.string()
                    case "byte_fallback": byteFallback = (try cursor.object() as? Bool) ?? false
                    case "vocab":
                        vocabulary.reserveCapacity(300_000)
                        try cursor.expect(UInt8(ascii: "{"))
                        if !cursor.consume(UInt8(ascii: "}")) {
                            repeat {
                                let piece = try cursor.stringBytes()
                                try cursor.expect(UInt8(ascii: ":"))
                                vocabulary[piece] = Int32(try cursor.integer())
                            } while cursor.consume(UInt8(ascii: ","))
                            try cursor.expect(UInt8(ascii: "}"))
                        }
                    case "merges":
                        rawMerges.reserveCapacity(600_000)
                        try cursor.forEachElement { cursor in
                            if cursor.peek() == UInt8(ascii: "[") {
                                var pair: [[UInt8]] = []
                                try cursor.forEachElement { pair.append(try $0.stringBytes()) }
                                guard pair.count == 2 else { throw cursor.failure("a merge must name two pieces") }
                                rawMerges.append((pair[0], pair[1]))
                            } else {
                                let text = try cursor.stringBytes()
                                guard let space = text.firstIndex(of: 0x20) else { throw cursor.failure("a merge must name two pieces") }
                                rawMerges.append((Array(text[..<space]), Array(text[(space + 1)...])))
                            }
                        }
                    default: try cursor.skipValue()
                    }
                }
            default: try cursor.skipValue()
            }
        }

        guard modelType == "BPE" else { throw unsupported("tokenizer model '\(modelType)' is not supported (only BPE)") }
        guard byteFallback else { throw unsupported("a BPE tokenizer without byte_fallback is not supported") }
        guard !vocabulary.isEmpty else { throw ModelError.invalidVocabulary(path: path, reason: "it is empty") }

        var pieces = [String](repeating: "", count: (vocabulary.values.max().map(Int.init) ?? -1) + 1)
        for (piece, id) in vocabulary where id >= 0 { pieces[Int(id)] = String(decoding: piece, as: UTF8.self) }
        for token in added where Int(token.id) >= pieces.count || pieces[Int(token.id)].isEmpty {
            if Int(token.id) >= pieces.count { pieces += [String](repeating: "", count: Int(token.id) + 1 - pieces.count) }
            pieces[Int(token.id)] = token.content
        }

        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(rawMerges.count)
        for (rank, (left, right)) in rawMerges.enumerated() {
            guard let a = vocabulary[left], let b = vocabulary[right], let merged = vocabulary[left + right] else {
                throw ModelError.invalidVocabulary(path: path, reason: "merge \(rank) names a piece the vocabulary lacks")
            }
            let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
            if merges[key] == nil { merges[key] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged)) }
        }

        let spaceReplacement = try Self.spaceReplacement(normalizer: normalizer, path: path)
        try Self.checkPreTokenizer(preTokenizer, replacesSpaces: spaceReplacement != nil, path: path)
        let (prefix, suffix) = try Self.template(postProcessor, path: path)
        guard let unknown = unknownToken.flatMap({ vocabulary[Array($0.utf8)] }) ?? vocabulary[Array("<unk>".utf8)] else {
            throw ModelError.invalidVocabulary(path: path, reason: "it has no unknown token")
        }
        return TokenizerDefinition(pieces: pieces, merges: merges, addedTokens: added, unknownID: unknown,
                                   prefixIDs: prefix, suffixIDs: suffix, spaceReplacement: spaceReplacement)
    }

    /// The normalizer must be absent or replace `' '` with one scalar (SentencePiece's `'▁'`).
    private static func spaceReplacement(normalizer: Any, path: String) throws -> Unicode.Scalar? {
        if normalizer is NSNull { return nil }
        guard let object = normalizer as? [String: Any], object["type"] as? String == "Replace",
              (object["pattern"] as? [String: Any])?["String"] as? String == " ",
              let content = object["content"] as? String, content.unicodeScalars.count == 1 else {
            let type = (normalizer as? [String: Any])?["type"] as? String ?? "?"
            throw ModelError.unsupportedConfig(path: path, reason: "tokenizer normalizer '\(type)' is not supported (only Replace ' ' → '▁')")
        }
        return content.unicodeScalars.first
    }

    /// The pre-tokenizer must be absent, or a split on `' '` that can never fire because the normalizer
    /// has already replaced every space (Gemma's tokenizer declares exactly that).
    private static func checkPreTokenizer(_ preTokenizer: Any, replacesSpaces: Bool, path: String) throws {
        if preTokenizer is NSNull { return }
        if let object = preTokenizer as? [String: Any], object["type"] as? String == "Split",
           (object["pattern"] as? [String: Any])?["String"] as? String == " ", replacesSpaces {
            return
        }
        let type = (preTokenizer as? [String: Any])?["type"] as? String ?? "?"
        throw ModelError.unsupportedConfig(path: path, reason: "tokenizer pre_tokenizer '\(type)' is not supported")
    }

    /// The special tokens a `TemplateProcessing` post-processor puts around a single sequence.
    private static func template(_ postProcessor: Any, path: String) throws -> (prefix: [Int32], suffix: [Int32]) {
        if postProcessor is NSNull { return ([], []) }
        guard let object = postProcessor as? [String: Any], object["type"] as? String == "TemplateProcessing",
              let single = object["single"] as? [[String: Any]],
              let specials = object["special_tokens"] as? [String: Any] else {
            let type = (postProcessor as? [String: Any])?["type"] as? String ?? "?"
            throw ModelError.unsupportedConfig(path: path, reason: "tokenizer post_processor '\(type)' is not supported (only TemplateProcessing)")
        }
        var prefix: [Int32] = [], suffix: [Int32] = []
        var seenSequence = false
        for item in single {
            if item["Sequence"] != nil { seenSequence = true; continue }
            guard let special = item["SpecialToken"] as? [String: Any], let name = special["id"] as? String,
                  let ids = (specials[name] as? [String: Any])?["ids"] as? [Int] else {
                throw ModelError.unsupportedConfig(path: path, reason: "tokenizer template item \(item) is not supported")
            }
            if seenSequence { suffix += ids.map(Int32.init) } else { prefix += ids.map(Int32.init) }
        }
        return (prefix, suffix)
    }
}
