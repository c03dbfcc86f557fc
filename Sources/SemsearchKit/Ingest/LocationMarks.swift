import SemsearchCore
import SemsearchEncoder

/// Where each unit of an extracted text (a page, slide, chapter, message or paragraph) begins,
/// as UTF-8 byte offsets into the text, so a chunk's byte range gives its ``DocumentLocation``.
///
/// A unit that left no text (an empty slide) has no mark of its own, or shares its offset with the
/// next unit's mark; the later mark wins, so the numbers stay those of the document.
public struct LocationMarks: Sendable, Equatable {
    public struct Mark: Sendable, Equatable {
        public var offset: Int
        public var number: Int

        public init(offset: Int, number: Int) {
            self.offset = offset
            self.number = number
        }
    }

    public var unit: DocumentLocation.Unit
    /// Ascending offsets.
    public private(set) var marks: [Mark]

    public init(unit: DocumentLocation.Unit, marks: [Mark] = []) {
        self.unit = unit
        self.marks = []
        for mark in marks { add(offset: mark.offset, number: mark.number) }
    }

    /// Records that unit `number` begins at `offset` (not before the last mark).
    public mutating func add(offset: Int, number: Int) {
        if let last = marks.last, last.offset >= offset {
            marks[marks.count - 1] = Mark(offset: last.offset, number: number)
        } else {
            marks.append(Mark(offset: offset, number: number))
        }
    }

    /// The units a chunk covering `range` of the text lies in; nil when it lies before every mark.
    public func location(of range: Range<Int>) -> DocumentLocation? {
        guard let start = number(at: range.lowerBound) else { return nil }
        return DocumentLocation(unit: unit, start: start, end: number(at: max(range.lowerBound, range.upperBound - 1)) ?? start)
    }

    /// The number of the last mark at or before `offset`.
    private func number(at offset: Int) -> Int? {
        var lo = 0, hi = marks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if marks[mid].offset <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : marks[lo - 1].number
    }

    /// Paragraphs of Markdown-shaped text: each run of non-blank lines is one, numbered from 1.
    public static func paragraphs(in text: String) -> LocationMarks {
        var marks = LocationMarks(unit: .paragraph)
        var number = 0
        var atLineStart = true, previousLineBlank = true, lineBlank = true
        var lineStart = 0
        for (offset, byte) in text.utf8.enumerated() {
            if atLineStart { lineStart = offset; lineBlank = true; atLineStart = false }
            if byte == UInt8(ascii: "\n") {
                previousLineBlank = lineBlank
                atLineStart = true
            } else if lineBlank, byte != 0x20, byte != 0x09, byte != 0x0D {
                lineBlank = false
                if previousLineBlank {
                    number += 1
                    marks.add(offset: lineStart, number: number)
                }
            }
        }
        return marks
    }

    /// Pages of `pdftotext` output, which ends each page with a form feed.
    public static func pages(in text: String) -> LocationMarks {
        var marks = LocationMarks(unit: .page, marks: [Mark(offset: 0, number: 1)])
        var page = 1
        for (offset, byte) in text.utf8.enumerated() where byte == 0x0C {
            page += 1
            marks.add(offset: offset + 1, number: page)
        }
        return marks
    }
}
