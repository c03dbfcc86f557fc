import SemsearchCore
import Foundation

/// A byte-pair-encoding tokenizer defined by a Hugging Face `tokenizer.json`: the SentencePiece-style
/// BPE of Gemma (and Llama-family) models, scalar for scalar as the `tokenizers` library runs it.
///
/// 1. Added tokens (`<start_of_turn>`, newline and tab runs, …) are cut out of the raw text first,
///    leftmost-longest, and become one token each.
/// 2. The rest is normalized (`' '` → `'▁'`) and split into Unicode scalars; a scalar the
///    vocabulary lacks becomes its UTF-8 bytes as `<0xNN>` pieces (byte fallback).
/// 3. Adjacent pieces merge by rank, lowest first (ties: leftmost), while a merge applies.
/// 4. The template's special tokens frame the result (`<bos> … <eos>`).
///
/// Each token keeps the UTF-8 byte range of the original text it came from.
public struct BPETokenizer: TextTokenizer {
    /// Token strings by id.
    public let pieces: [String]
    public let maxLength: Int
    public let unknownID: Int32
    /// Tokens placed before and after the text (`<bos>`, `<eos>`).
    public let prefixIDs: [Int32], suffixIDs: [Int32]

    private let singleScalarIDs: [UInt32: Int32]
    /// (left << 32 | right) → (rank << 32 | merged id).
    private let merges: [UInt64: UInt64]
    private let byteIDs: [Int32]
    /// The byte each `<0xNN>` piece stands for, by id.
    private let byteOfID: [Int32: UInt8]
    private let added: AddedTokens
    private let spaceReplacement: Unicode.Scalar?

    /// Loads `tokenizer.json` at `path`, through its binary copy beside it when an import wrote
    /// one; `maxLength` counts the special tokens.
    public init(tokenizerJSON path: String, maxLength: Int) throws {
        let binary = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(TokenizerDefinition.binaryName)
        let definition = try TokenizerDefinition.loadBinary(path: binary, source: path) ?? TokenizerDefinition.load(path: path)
        self.init(definition: definition, maxLength: maxLength)
    }

    init(definition d: TokenizerDefinition, maxLength: Int) {
        pieces = d.pieces
        self.maxLength = max(d.prefixIDs.count + d.suffixIDs.count + 1, maxLength)
        unknownID = d.unknownID
        prefixIDs = d.prefixIDs
        suffixIDs = d.suffixIDs
        spaceReplacement = d.spaceReplacement
        var single: [UInt32: Int32] = [:]
        var byteIDs = [Int32](repeating: d.unknownID, count: 256)
        for (id, piece) in d.pieces.enumerated() {
            let scalars = piece.unicodeScalars
            if scalars.count == 1 { single[scalars.first!.value] = Int32(id) }
            if piece.utf8.count == 6, piece.hasPrefix("<0x"), piece.hasSuffix(">"), let byte = UInt8(piece.dropFirst(3).dropLast(), radix: 16) {
                byteIDs[Int(byte)] = Int32(id)
            }
        }
        singleScalarIDs = single
        self.byteIDs = byteIDs
        byteOfID = Dictionary(uniqueKeysWithValues: byteIDs.enumerated().filter { $0.element != d.unknownID }.map { ($0.element, UInt8($0.offset)) })
        merges = d.merges
        added = AddedTokens(d.addedTokens)
    }

    public var framing: (prefix: Int, suffix: Int) { (prefixIDs.count, suffixIDs.count) }

    public func encode(_ text: String, maxLength: Int?) -> TokenizedText {
        let limit = max(1, min(maxLength ?? self.maxLength, self.maxLength) - prefixIDs.count - suffixIDs.count)
        return frame(text, limit: limit)
    }

    public func encodeUntruncated(_ text: String) -> TokenizedText { frame(text, limit: nil) }

    public func countTokens(_ text: String) -> Int {
        var count = prefixIDs.count + suffixIDs.count
        forEachToken(of: Array(text.utf8)) { _, _ in count += 1 }
        return count
    }

    public func pieces(_ text: String) -> [String] {
        var out: [String] = []
        forEachToken(of: Array(text.utf8)) { id, _ in out.append(pieces[Int(id)]) }
        return out
    }

    /// A piece that starts with a letter or digit, or a byte inside a multi-byte character.
    public func continuesWord(_ id: Int32) -> Bool {
        guard Int(id) < pieces.count else { return false }
        if let byte = byteValue(id) { return byte & 0xC0 == 0x80 }
        guard let first = pieces[Int(id)].unicodeScalars.first else { return false }
        return first.properties.isAlphabetic || first.properties.numericType != nil
    }

    public func isPoorlyRead(_ id: Int32) -> Bool { id == unknownID || byteValue(id) != nil }

    private func byteValue(_ id: Int32) -> UInt8? { byteOfID[id] }

    // MARK: - Pipeline

    private func frame(_ text: String, limit: Int?) -> TokenizedText {
        var ids = prefixIDs
        var ranges = [Range<Int>](repeating: 0..<0, count: prefixIDs.count)
        var truncated = false
        var content = 0
        forEachToken(of: Array(text.utf8)) { id, range in
            if let limit, content >= limit { truncated = true; return }
            ids.append(id)
            ranges.append(range)
            content += 1
        }
        if ranges.count > prefixIDs.count {
            let first = ranges[prefixIDs.count].lowerBound
            for i in 0..<prefixIDs.count { ranges[i] = first..<first }
        }
        let end = ranges.last?.upperBound ?? 0
        ids += suffixIDs
        ranges += [Range<Int>](repeating: end..<end, count: suffixIDs.count)
        return TokenizedText(ids: ids, byteRanges: ranges, isTruncated: truncated)
    }

    /// Calls `emit` with each content token of `bytes` and its byte range, in order.
    private func forEachToken(of bytes: [UInt8], _ emit: (Int32, Range<Int>) -> Void) {
        added.split(bytes) { segment, addedID in
            if let addedID {
                emit(addedID, segment)
            } else {
                encodeSegment(bytes, segment, emit)
            }
        }
    }

    /// BPE over one stretch of text between added tokens.
    private func encodeSegment(_ bytes: [UInt8], _ segment: Range<Int>, _ emit: (Int32, Range<Int>) -> Void) {
        var symbols = SymbolList()
        var offset = segment.lowerBound
        let text = String(decoding: bytes[segment], as: UTF8.self)
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            var value = scalar.value
            if value == 0x20, let replacement = spaceReplacement { value = replacement.value }
            if let id = singleScalarIDs[value] {
                symbols.append(id: id, range: offset..<(offset + width))
            } else {
                // Byte fallback spells the normalized scalar; each byte maps back to the original one
                // (a replaced space has one original byte for its three UTF-8 bytes).
                let encoded = Array(String(Unicode.Scalar(value)!).utf8)
                for (i, byte) in encoded.enumerated() {
                    let at = min(offset + i, offset + width - 1)
                    symbols.append(id: byteIDs[Int(byte)], range: at..<(at + 1))
                }
            }
            offset += width
        }
        symbols.merge(using: merges)
        symbols.forEach(emit)
    }
}
