import SemsearchCore
import SemsearchEncoder

/// Where a chunk lies in its document's own terms, for documents whose extracted text has no lines
/// a reader would recognise: the pages of a PDF, the slides of a presentation, the chapters of an
/// EPUB, the messages of a mailbox, the paragraphs of a word-processor file, RTF or e-mail.
///
/// `start` and `end` are 1-based and inclusive: a chunk that runs from slide 3 into slide 4 is
/// `slides 3–4`. Paragraphs are counted through the whole document as the extracted text has
/// them, each run of lines between blank lines one: a heading, a paragraph, a list item, a table row
/// of a DOCX or ODT (an RTF table, read as one block of rows, counts once), and the notes, gathered
/// at the end, go on from the body's count. Chapters are counted in the book's reading order (its
/// linear spine items, title page included), messages in the mailbox's order, broken ones included.
public struct DocumentLocation: Sendable, Equatable, Hashable, Codable {
    public enum Unit: String, Sendable, CaseIterable, Codable {
        case page, slide, chapter, message, paragraph

        var plural: String { rawValue + "s" }
    }

    public var unit: Unit
    public var start: Int
    public var end: Int

    public init(unit: Unit, start: Int, end: Int) {
        self.unit = unit
        self.start = start
        self.end = max(start, end)
    }

    /// `slide 3`, `pages 4–5`: how the terminal, the screen and the MCP tool write it.
    public var description: String {
        start == end ? "\(unit.rawValue) \(start)" : "\(unit.plural) \(start)–\(end)"
    }
}
