import SemsearchCore
import SemsearchEncoder

/// Cuts documents into token-budgeted chunks at the most natural boundary available: a heading,
/// then a paragraph (blank line), then a sentence, then a line, and only as a last resort inside a
/// sentence at a token boundary that does not split a word. Consecutive chunks cut inside a paragraph share up to
/// `overlap` tokens of whole sentences or lines, so a thought split across chunks stays findable.
///
/// A document that fits `wholeDocumentTokens` is one chunk: the indexer keeps a short document — a
/// note, a passage, an abstract — whole up to `shortDocumentTokens` even when chunks are smaller
/// (`wholeDocumentTokens(budget:tokenizer:)`), because cutting a 150-token passage in pieces loses
/// its context and finds nothing a long document's small chunks would not.
/// Byte and line ranges map every chunk back to its file; each chunk carries the heading
/// breadcrumb of the section it starts in, and, given the document's ``LocationMarks``, the pages,
/// slides, chapters, messages or paragraphs it covers.
public struct Chunker: Sendable {
    public let tokenizer: any TextTokenizer
    /// Content tokens per chunk (special tokens not counted).
    public let budget: Int
    /// Tokens the next chunk repeats when a cut falls inside a paragraph.
    public let overlap: Int
    /// Content tokens up to which a whole document is one chunk (at least the budget).
    public let wholeDocumentTokens: Int

    public init(tokenizer: any TextTokenizer, budget: Int = 128, overlap: Int = 16, wholeDocumentTokens: Int? = nil) {
        self.tokenizer = tokenizer
        self.budget = max(8, budget)
        self.overlap = max(0, min(overlap, self.budget / 2))
        self.wholeDocumentTokens = max(self.budget, wholeDocumentTokens ?? self.budget)
    }

    /// Content tokens up to which the indexer keeps a document whole (about 150 words).
    public static let shortDocumentTokens = 192

    /// The length up to which the indexer keeps a document whole: `shortDocumentTokens`, or the
    /// budget when larger, within what the model reads at once with room for a situating header.
    public static func wholeDocumentTokens(budget: Int, tokenizer: any TextTokenizer) -> Int {
        let framing = tokenizer.framing
        return max(budget, min(shortDocumentTokens, tokenizer.maxLength - framing.prefix - framing.suffix - 32))
    }

    /// The chunks of `text`, a document of `kind`, each located by `locations` when given.
    public func chunks(of text: String, kind: DocumentKind, locations: LocationMarks? = nil) -> [TextChunk] {
        let bytes = Array(text.utf8)
        let lines = LineTable(bytes)
        let units = DocumentUnits.split(bytes, kind: kind).flatMap { splitOversized($0, bytes) }
        let contentUnits = units.filter { $0.tokens > 0 }
        guard !contentUnits.isEmpty else { return [] }

        func makeChunk(_ part: ArraySlice<DocumentUnit>) -> TextChunk {
            let range = part.first!.range.lowerBound..<part.last!.range.upperBound
            return TextChunk(text: String(decoding: bytes[range], as: UTF8.self), byteRange: range,
                             lineStart: lines.line(at: range.lowerBound), lineEnd: lines.line(at: max(range.lowerBound, range.upperBound - 1)),
                             heading: part.first!.heading, tokenCount: part.reduce(0) { $0 + $1.tokens },
                             location: locations?.location(of: range))
        }

        if contentUnits.reduce(0, { $0 + $1.tokens }) <= wholeDocumentTokens { return [makeChunk(contentUnits[...])] }

        var chunks: [TextChunk] = []
        var start = 0, tokens = 0, index = 0
        while index < contentUnits.count {
            let unit = contentUnits[index]
            let sectionBreak = unit.startsSection && tokens >= budget / 4
            if index > start && (tokens + unit.tokens > budget || sectionBreak) {
                chunks.append(makeChunk(contentUnits[start..<index]))
                // Overlap only when the cut falls inside a paragraph, and never past the last cut.
                var next = index
                if !unit.startsBlock && overlap > 0 {
                    var carried = 0
                    while next - 1 > start, !contentUnits[next].startsBlock,
                          carried + contentUnits[next - 1].tokens <= overlap {
                        next -= 1
                        carried += contentUnits[next].tokens
                    }
                }
                start = next
                tokens = contentUnits[start..<index].reduce(0) { $0 + $1.tokens }
            }
            tokens += unit.tokens
            index += 1
        }
        if start < contentUnits.count { chunks.append(makeChunk(contentUnits[start...])) }
        return chunks
    }

    /// Counts a unit's tokens and, when it exceeds the budget, cuts it at token boundaries between words.
    private func splitOversized(_ unit: DocumentUnit, _ bytes: [UInt8]) -> [DocumentUnit] {
        let text = String(decoding: bytes[unit.range], as: UTF8.self)
        let framing = tokenizer.framing
        let count = tokenizer.countTokens(text) - framing.prefix - framing.suffix
        var unit = unit
        unit.tokens = count
        guard count > budget else { return [unit] }
        let encoded = tokenizer.encodeUntruncated(text)
        let offsets = encoded.byteRanges.dropFirst(framing.prefix).dropLast(framing.suffix)
        var parts: [DocumentUnit] = []
        var first = offsets.startIndex
        while first < offsets.endIndex {
            let last = min(first + budget, offsets.endIndex)
            // Keep whole words: never cut between a piece and its continuation. Scripts written
            // without spaces have no word ends to find, so the search gives up after a few pieces.
            var end = last
            while end < offsets.endIndex, end > max(first + 1, last - 16), offsets[end].lowerBound == offsets[end - 1].upperBound,
                  tokenizer.continuesWord(encoded.ids[end]) {
                end -= 1
            }
            if end < offsets.endIndex, end == max(first + 1, last - 16), tokenizer.continuesWord(encoded.ids[end]) {
                // No word end near: cut at the budget, but never inside a character's bytes.
                end = last
                while end < offsets.endIndex, end > first + 1, bytes[unit.range.lowerBound + offsets[end].lowerBound] & 0xC0 == 0x80 { end -= 1 }
            }
            let lower = first == offsets.startIndex ? unit.range.lowerBound : unit.range.lowerBound + offsets[first].lowerBound
            let upper = end == offsets.endIndex ? unit.range.upperBound : unit.range.lowerBound + offsets[end].lowerBound
            var part = unit
            part.range = lower..<upper
            part.tokens = end - first
            part.startsBlock = unit.startsBlock && parts.isEmpty
            part.startsSection = unit.startsSection && parts.isEmpty
            parts.append(part)
            first = end
        }
        return parts
    }
}
