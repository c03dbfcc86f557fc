import Foundation

/// Gathers a document's paragraphs, headings, list items, table rows and notes, as a reader walks
/// its XML, into the Markdown-shaped text the chunker reads: `#` headings (so chunks get a
/// breadcrumb), paragraphs between blank lines, a list item as `- text`, a table row as one line
/// of cells joined by ` | `, and notes gathered under a closing `# Notes` heading.
///
/// Paragraphs may nest (a text box or a footnote is written inside the paragraph it is anchored
/// to): the inner one is emitted as its own paragraph and the outer one goes on after it.
struct DocumentFlow {
    struct Paragraph {
        var text = ""
        /// 1…9 for a heading.
        var headingLevel: Int?
        var listItem = false
        /// Inside a footnote or endnote: collected for the end of the document.
        var note = false
    }

    private(set) var text = ""
    private var open: [Paragraph] = []
    /// Open table rows (tables nest), each with its finished cells and the cell being filled.
    private var rows: [(cells: [String], cell: String?)] = []
    private var notes: [String] = []
    /// Depth of note bodies being read: their paragraphs go to `notes`.
    var inNote = 0
    /// Where each unit begun with ``beginUnit(_:number:)`` starts in `text`.
    private(set) var units: LocationMarks?
    private var pendingUnit: (unit: DocumentLocation.Unit, number: Int)?

    mutating func openParagraph(headingLevel: Int? = nil, listItem: Bool = false) {
        open.append(Paragraph(headingLevel: headingLevel, listItem: listItem, note: inNote > 0))
    }

    /// Text of the innermost open paragraph (ignored outside one).
    mutating func append(_ piece: String) {
        guard !open.isEmpty else { return }
        open[open.count - 1].text += piece
    }

    /// Sets the innermost paragraph's heading level (styles are read after the paragraph opens).
    mutating func setHeadingLevel(_ level: Int?) {
        guard !open.isEmpty else { return }
        open[open.count - 1].headingLevel = level
    }

    mutating func setListItem() {
        guard !open.isEmpty else { return }
        open[open.count - 1].listItem = true
    }

    mutating func closeParagraph() {
        guard let paragraph = open.popLast() else { return }
        let body = Self.tidy(paragraph.text)
        guard !body.isEmpty else { return }
        if paragraph.note {
            notes.append(body)
        } else if !rows.isEmpty, rows[rows.count - 1].cell != nil {
            let cell = rows[rows.count - 1].cell!
            rows[rows.count - 1].cell = cell.isEmpty ? body : cell + " " + body
        } else if let level = paragraph.headingLevel {
            emit(String(repeating: "#", count: min(max(level, 1), 6)) + " " + body.replacingOccurrences(of: "\n", with: " "))
        } else {
            emit(paragraph.listItem ? "- " + body : body)
        }
    }

    mutating func openRow() { rows.append(([], nil)) }
    mutating func openCell() { if !rows.isEmpty { rows[rows.count - 1].cell = "" } }
    mutating func closeCell() {
        guard !rows.isEmpty, let cell = rows[rows.count - 1].cell else { return }
        rows[rows.count - 1].cells.append(cell.replacingOccurrences(of: "\n", with: " "))
        rows[rows.count - 1].cell = nil
    }
    mutating func closeRow() {
        guard let row = rows.popLast() else { return }
        let line = row.cells.filter { !$0.isEmpty }.joined(separator: " | ")
        guard !line.isEmpty else { return }
        if !rows.isEmpty, rows[rows.count - 1].cell != nil {
            let cell = rows[rows.count - 1].cell!
            rows[rows.count - 1].cell = cell.isEmpty ? line : cell + " " + line
        } else {
            emit(line)
        }
    }

    /// A heading written directly (a slide's title).
    mutating func heading(_ title: String, level: Int) {
        let body = Self.tidy(title).replacingOccurrences(of: "\n", with: " ")
        guard !body.isEmpty else { return }
        emit(String(repeating: "#", count: min(max(level, 1), 6)) + " " + body)
    }

    /// A paragraph written directly.
    mutating func paragraph(_ body: String) {
        let body = Self.tidy(body)
        if !body.isEmpty { emit(body) }
    }

    /// Unit `number` (a slide) begins with the next block written.
    mutating func beginUnit(_ unit: DocumentLocation.Unit, number: Int) {
        pendingUnit = (unit, number)
    }

    /// The text, with the notes gathered under `# Notes` at its end.
    mutating func finish() -> String {
        while !open.isEmpty { closeParagraph() }
        while !rows.isEmpty { closeCell(); closeRow() }
        if !notes.isEmpty {
            emit("# Notes")
            for note in notes { emit(note) }
            notes.removeAll()
        }
        return text
    }

    private mutating func emit(_ block: String) {
        if !text.isEmpty { text += "\n\n" }
        if let pending = pendingUnit {
            if units == nil { units = LocationMarks(unit: pending.unit) }
            units!.add(offset: text.utf8.count, number: pending.number)
            pendingUnit = nil
        }
        text += block
    }

    /// Spaces and tabs at the ends of lines trimmed, blank lines inside a paragraph dropped (a blank
    /// line would split it), runs of spaces kept (they may align a table in the original).
    static func tidy(_ raw: String) -> String {
        raw.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}
