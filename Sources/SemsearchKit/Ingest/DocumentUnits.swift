import SemsearchCore
import SemsearchEncoder
import Foundation

/// Splits a document into `DocumentUnit`s according to its kind's structure.
enum DocumentUnits {
    static func split(_ bytes: [UInt8], kind: DocumentKind) -> [DocumentUnit] {
        var units: [DocumentUnit] = []
        var headings: [(level: Int, title: String)] = []
        var paragraph: [Range<Int>] = []  // lines of the paragraph being gathered
        var paragraphStartsBlock = true   // false when a list item, not a blank line, began it
        var inFence = false
        var rstLevels: [UInt8] = []

        func breadcrumb() -> String {
            headings.map { String(repeating: "#", count: $0.level) + " " + $0.title }.joined(separator: " › ")
        }

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            let pieces = kind == .code ? paragraph : sentences(in: paragraph, bytes: bytes)
            for (i, piece) in pieces.enumerated() {
                units.append(DocumentUnit(range: piece, startsBlock: i == 0 && paragraphStartsBlock,
                                          startsSection: false, heading: breadcrumb()))
            }
            paragraph.removeAll()
            paragraphStartsBlock = true
        }

        func pushHeading(level: Int, title: String, range: Range<Int>) {
            flushParagraph()
            while let last = headings.last, last.level >= level { headings.removeLast() }
            headings.append((level, title))
            units.append(DocumentUnit(range: range, startsBlock: true, startsSection: true, heading: breadcrumb()))
        }

        for line in lineRanges(bytes) {
            let content = trimmed(line, bytes)
            if content.isEmpty { flushParagraph(); continue }
            let text = bytes[content]

            if kind == .markdown {
                if text.starts(with: Array("```".utf8)) || text.starts(with: Array("~~~".utf8)) {
                    inFence.toggle()
                    paragraph.append(content)
                    continue
                }
                if !inFence, let (level, title) = atxHeading(text) {
                    pushHeading(level: level, title: title, range: content)
                    continue
                }
                if !inFence, paragraph.count == 1, let level = underlineLevel(text, chars: [UInt8(ascii: "="), UInt8(ascii: "-")]) {
                    let titleRange = paragraph[0]
                    paragraph.removeAll()
                    pushHeading(level: level == UInt8(ascii: "=") ? 1 : 2,
                                title: String(decoding: bytes[titleRange], as: UTF8.self), range: titleRange.lowerBound..<content.upperBound)
                    continue
                }
            } else if kind == .org, let level = orgHeading(text) {
                let title = String(decoding: text.dropFirst(level + 1), as: UTF8.self)
                pushHeading(level: level, title: title, range: content)
                continue
            } else if kind == .restructuredText, paragraph.count == 1,
                      let char = underlineLevel(text, chars: Array("=-~^\"'`#*+".utf8)),
                      content.count >= paragraph[0].count {
                if !rstLevels.contains(char) { rstLevels.append(char) }
                let titleRange = paragraph[0]
                paragraph.removeAll()
                pushHeading(level: rstLevels.firstIndex(of: char)! + 1,
                            title: String(decoding: bytes[titleRange], as: UTF8.self), range: titleRange.lowerBound..<content.upperBound)
                continue
            }
            // A list item starts a new unit inside its paragraph.
            if kind != .code, !paragraph.isEmpty, isListItem(text) {
                flushParagraph()
                paragraphStartsBlock = false
            }
            paragraph.append(content)
        }
        flushParagraph()
        return units
    }

    /// Byte ranges of each line, without the line break.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            ranges.append(start..<i)
            start = i + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    /// `range` without leading and trailing ASCII whitespace.
    static func trimmed(_ range: Range<Int>, _ bytes: [UInt8]) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// `## Title` → (2, "Title").
    static func atxHeading(_ text: ArraySlice<UInt8>) -> (Int, String)? {
        let level = text.prefix { $0 == UInt8(ascii: "#") }.count
        guard (1...6).contains(level) else { return nil }
        let rest = text.dropFirst(level)
        guard rest.isEmpty || isSpace(rest.first!) else { return nil }
        var title = String(decoding: rest, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t#"))
        if title.isEmpty { title = "…" }
        return (level, title)
    }

    /// `** Title` → 2.
    static func orgHeading(_ text: ArraySlice<UInt8>) -> Int? {
        let level = text.prefix { $0 == UInt8(ascii: "*") }.count
        guard level >= 1, text.count > level, text[text.startIndex + level] == 0x20 else { return nil }
        return level
    }

    /// The repeated character when `text` is an underline (`=====`) made of one of `chars`.
    static func underlineLevel(_ text: ArraySlice<UInt8>, chars: [UInt8]) -> UInt8? {
        guard let first = text.first, chars.contains(first), text.count >= 3, text.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    static func isListItem(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        if (first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+")),
           text.count > 1, text[text.startIndex + 1] == 0x20 { return true }
        let digits = text.prefix { (48...57).contains($0) }.count
        return digits > 0 && digits < 4 && text.count > digits + 1
            && (text[text.startIndex + digits] == UInt8(ascii: ".") || text[text.startIndex + digits] == UInt8(ascii: ")"))
    }

    /// Sentences of a paragraph given as line ranges: cut after `.`, `!`, `?` followed by
    /// whitespace, and after the ideographic full stop `。`. The ranges exclude surrounding whitespace.
    static func sentences(in lines: [Range<Int>], bytes: [UInt8]) -> [Range<Int>] {
        guard let first = lines.first, let last = lines.last else { return [] }
        let span = first.lowerBound..<last.upperBound
        var result: [Range<Int>] = []
        var start = span.lowerBound
        var i = span.lowerBound
        while i < span.upperBound {
            let b = bytes[i]
            var end: Int?
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") {
                if i + 1 >= span.upperBound || isSpace(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "\n") { end = i + 1 }
            } else if b == 0xE3, i + 2 < span.upperBound, bytes[i + 1] == 0x80, bytes[i + 2] == 0x82 {  // 。
                end = i + 3
            }
            if let end {
                let piece = trimmed(start..<end, bytes)
                if !piece.isEmpty { result.append(piece) }
                start = end
                i = end
            } else {
                i += 1
            }
        }
        let tail = trimmed(start..<span.upperBound, bytes)
        if !tail.isEmpty { result.append(tail) }
        return result
    }
}
