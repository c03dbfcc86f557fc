import SemsearchCore
import Foundation

/// BERT's tokenizer: the Hugging Face `BertTokenizer` pipeline, scalar for scalar.
///
/// 1. Clean: drop NUL, U+FFFD and control/format/unassigned/private-use scalars; turn every
///    White_Space scalar into a word boundary.
/// 2. Put a boundary around every CJK ideograph.
/// 3. Strip accents (NFD, drop nonspacing marks) and lowercase, when the model is uncased.
/// 4. Split punctuation into words of its own.
/// 5. WordPiece: greedy longest match with `##` continuations; a word that cannot be covered, or
///    of more than 100 scalars, becomes `[UNK]`.
///
/// Each token keeps the UTF-8 byte range of the original text it came from, so chunks and late
/// chunking can map tokens back to the file.
public struct BertTokenizer: TextTokenizer {
    public let vocabulary: Vocabulary
    public let lowercases: Bool
    public let stripsAccents: Bool
    public let splitsCJK: Bool
    /// Maximum sequence length, `[CLS]` and `[SEP]` included.
    public let maxLength: Int

    static let maxScalarsPerWord = 100

    public init(vocabulary: Vocabulary, lowercases: Bool = true, stripsAccents: Bool? = nil,
                splitsCJK: Bool = true, maxLength: Int = 512) {
        self.vocabulary = vocabulary
        self.lowercases = lowercases
        self.stripsAccents = stripsAccents ?? lowercases
        self.splitsCJK = splitsCJK
        self.maxLength = max(2, maxLength)
    }

    /// Tokenizes `text`, truncated to `maxLength` tokens (or the tokenizer's own maximum).
    public func encode(_ text: String, maxLength: Int?) -> TokenizedText {
        frame(text, contentLimit: max(2, min(maxLength ?? self.maxLength, self.maxLength)) - 2)
    }

    /// Tokenizes all of `text`, however long — for cutting text into chunks, not for the encoder.
    public func encodeUntruncated(_ text: String) -> TokenizedText {
        frame(text, contentLimit: nil)
    }

    private func frame(_ text: String, contentLimit: Int?) -> TokenizedText {
        var ids: [Int32] = [vocabulary.classifierID]
        var ranges: [Range<Int>] = [0..<0]
        let truncated = forEachPiece(of: text, limit: contentLimit) { id, range in
            ids.append(id)
            ranges.append(range)
        }
        if ranges.count > 1 { ranges[0] = ranges[1].lowerBound..<ranges[1].lowerBound }
        let end = ranges.last!.upperBound
        ids.append(vocabulary.separatorID)
        ranges.append(end..<end)
        return TokenizedText(ids: ids, byteRanges: ranges, isTruncated: truncated)
    }

    public var framing: (prefix: Int, suffix: Int) { (1, 1) }

    public func continuesWord(_ id: Int32) -> Bool { vocabulary.tokens[Int(id)].hasPrefix("##") }

    /// `[UNK]`, or a lone non-ASCII character standing for a whole word or a piece of one: how an
    /// English WordPiece vocabulary spells Arabic, Hindi or Korean.
    public func isPoorlyRead(_ id: Int32) -> Bool {
        if id == vocabulary.unknownID { return true }
        let token = vocabulary.tokens[Int(id)]
        let piece = token.hasPrefix("##") ? token.dropFirst(2) : Substring(token)
        guard piece.unicodeScalars.count == 1, let scalar = piece.unicodeScalars.first else { return false }
        return scalar.value >= 0x80 && !ScalarClass.isCJK(scalar.value) && scalar.properties.isAlphabetic
    }

    /// Number of tokens `text` makes without truncation, `[CLS]` and `[SEP]` included.
    public func countTokens(_ text: String) -> Int {
        var count = 2
        _ = forEachPiece(of: text, limit: nil) { _, _ in count += 1 }
        return count
    }

    /// The WordPiece tokens of `text` as strings, without special tokens (for display and tests).
    public func pieces(_ text: String) -> [String] {
        var out: [String] = []
        _ = forEachPiece(of: text, limit: nil) { id, _ in out.append(vocabulary.tokens[Int(id)]) }
        return out
    }

    // MARK: - Pipeline

    /// Calls `emit` for each WordPiece of `text` until `limit` pieces; returns whether pieces remained.
    private func forEachPiece(of text: String, limit: Int?, _ emit: (Int32, Range<Int>) -> Void) -> Bool {
        var emitted = 0
        var word: [Unicode.Scalar] = []
        var wordRanges: [Range<Int>] = []
        word.reserveCapacity(64)
        wordRanges.reserveCapacity(64)
        var normalized: [Unicode.Scalar] = []
        var truncated = false

        /// Emits the pending word; returns false once the limit is reached.
        func flush() -> Bool {
            guard !word.isEmpty else { return true }
            defer { word.removeAll(keepingCapacity: true); wordRanges.removeAll(keepingCapacity: true) }
            var stop = false
            wordPiece(word, wordRanges) { id, range in
                if stop { return }
                if let limit, emitted >= limit { stop = true; return }
                emit(id, range)
                emitted += 1
            }
            if stop { truncated = true; return false }
            return true
        }

        var offset = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            let range = offset..<(offset + width)
            offset += width
            switch ScalarClass.of(scalar) {
            case .removed:
                continue
            case .whitespace:
                if !flush() { return true }
            case .cjk where splitsCJK:
                if !flush() { return true }
                normalized.removeAll(keepingCapacity: true)
                normalize(scalar, into: &normalized)
                for piece in normalized { word.append(piece); wordRanges.append(range) }
                if !flush() { return true }
            case .ascii:
                let lowered = lowercases && scalar.value >= 65 && scalar.value <= 90
                    ? Unicode.Scalar(scalar.value + 32)! : scalar
                if ScalarClass.isPunctuation(lowered) {
                    if !flush() { return true }
                    word.append(lowered); wordRanges.append(range)
                    if !flush() { return true }
                } else {
                    word.append(lowered); wordRanges.append(range)
                }
            default:
                normalized.removeAll(keepingCapacity: true)
                normalize(scalar, into: &normalized)
                for piece in normalized {
                    if ScalarClass.isPunctuation(piece) {
                        if !flush() { return true }
                        word.append(piece); wordRanges.append(range)
                        if !flush() { return true }
                    } else if piece.properties.isWhitespace {
                        if !flush() { return true }
                    } else {
                        word.append(piece); wordRanges.append(range)
                    }
                }
            }
        }
        if !flush() { return true }
        return truncated
    }

    /// Accent stripping (NFD without nonspacing marks), then lowercasing, as the fast tokenizer does.
    private func normalize(_ scalar: Unicode.Scalar, into out: inout [Unicode.Scalar]) {
        var stripped: [Unicode.Scalar] = []
        if stripsAccents {
            for s in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
            where s.properties.generalCategory != .nonspacingMark {
                stripped.append(s)
            }
        } else {
            stripped.append(scalar)
        }
        for s in stripped {
            if lowercases {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(s)
            }
        }
    }

    /// Greedy longest-match-first WordPiece over one word.
    private func wordPiece(_ word: [Unicode.Scalar], _ ranges: [Range<Int>], _ emit: (Int32, Range<Int>) -> Void) {
        let whole = ranges.first!.lowerBound..<ranges.last!.upperBound
        if word.count > Self.maxScalarsPerWord {
            emit(vocabulary.unknownID, whole)
            return
        }
        var pieces: [(Int32, Range<Int>)] = []
        var start = 0
        var candidate = ""
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                candidate.removeAll(keepingCapacity: true)
                if start > 0 { candidate.append("##") }
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary.id(for: candidate) { found = id; break }
                end -= 1
            }
            guard let id = found else {
                emit(vocabulary.unknownID, whole)
                return
            }
            pieces.append((id, ranges[start].lowerBound..<ranges[end - 1].upperBound))
            start = end
        }
        for (id, range) in pieces { emit(id, range) }
    }
}
