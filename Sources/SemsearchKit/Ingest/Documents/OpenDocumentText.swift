import Foundation

/// The text of OpenDocument text (`.odt`) and presentations (`.odp`), from `content.xml`.
///
/// Text: `text:h` as a heading of its `text:outline-level`, a paragraph styled `Title` (directly
/// or through an automatic style's parent) as a level-1 heading, `text:p`, list items as `- `,
/// table rows as cells joined by ` | `, `text:s`/`text:tab`/`text:line-break` as the spaces and
/// breaks they stand for, text boxes as paragraphs of their own, notes under `# Notes` at the
/// end; tracked changes (which hold the deleted text), annotations and note citations left out.
///
/// Presentations: one section a `draw:page`, headed by its title frame (or `Slide N`), its other
/// frames' paragraphs, and its speaker notes as a paragraph starting `Notes:`.
///
/// A presentation's location unit is the slide (its `draw:page` in order), a text's the paragraph.
enum OpenDocumentText {
    static func extract(_ archive: ZipArchive) throws(DocumentFormatError) -> LocatedText {
        let xml = try archive.read("content.xml")
        var walker = Walker(titleStyles: try titleStyles(xml))
        var scanner = XMLScanner(xml)
        try scanner.forEach { event throws(DocumentFormatError) in walker.handle(event) }
        let text = walker.flow.finish()
        if walker.slides > 0 { return LocatedText(text: text, locations: walker.flow.units ?? LocationMarks(unit: .slide)) }
        return .paragraphs(text)
    }

    /// Elements whose whole content is not part of the text a reader sees.
    private static let skipped: Set<String> = [
        "text:tracked-changes", "office:annotation", "text:note-citation", "office:forms", "text:sequence-decls",
        "draw:page-thumbnail", "office:scripts", "office:font-face-decls", "office:automatic-styles",
        "text:page-number", "text:date", "text:time", "presentation:footer", "presentation:date-time",
    ]

    /// One presentation page being read: its title, body paragraphs and notes, emitted when it ends.
    private struct Slide {
        var number: Int
        var title: [String] = []
        var body: [String] = []
        var notes: [String] = []
    }

    /// Where the paragraph being read goes.
    private enum Destination { case flow, slideTitle, slideBody, slideNotes }

    private struct Walker {
        let titleStyles: Set<String>
        var flow = DocumentFlow()
        var skipDepth = 0
        var slides = 0
        var slide: Slide?
        var titleFrames = 0
        var notesDepth = 0
        var listItemPending = false
        /// Open paragraphs (text boxes nest them): where each goes, and the text of a slide's.
        var paragraphs: [(destination: Destination, heading: Bool, text: String)] = []

        init(titleStyles: Set<String>) { self.titleStyles = titleStyles }

        mutating func handle(_ event: XMLScanner.Event) {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if skipDepth > 0 || OpenDocumentText.skipped.contains(name) || isBoilerplateFrame(name, attributes) {
                    if !selfClosing { skipDepth += 1 }
                    return
                }
                start(name, attributes, selfClosing: selfClosing)
                if selfClosing { end(name) }
            case .end(let name):
                if skipDepth > 0 { skipDepth -= 1; return }
                end(name)
            case .text(let text):
                if skipDepth == 0 { append(OpenDocumentText.collapsingWhitespace(text)) }
            }
        }

        /// Frames that repeat on every page (number, date, header, footer) and, inside speaker
        /// notes, every frame but the notes text (the page thumbnail, the page number).
        private func isBoilerplateFrame(_ name: String, _ attributes: [String: String]) -> Bool {
            guard name == "draw:frame" else { return false }
            let kind = attributes["presentation:class"] ?? ""
            if notesDepth > 0 { return kind != "notes" }
            return ["page-number", "footer", "header", "date-time"].contains(kind)
        }

        private mutating func start(_ name: String, _ attributes: [String: String], selfClosing: Bool) {
            switch name {
            case "draw:page":
                slides += 1
                slide = Slide(number: slides)
            case "draw:frame":
                if attributes["presentation:class"] == "title", notesDepth == 0 { titleFrames += 1 }
            case "presentation:notes": notesDepth += 1
            case "text:h", "text:p":
                let level = name == "text:h" ? Int(attributes["text:outline-level"] ?? "1") ?? 1
                    : titleStyles.contains(attributes["text:style-name"] ?? "") ? 1 : nil
                let destination: Destination = slide == nil ? .flow : notesDepth > 0 ? .slideNotes : titleFrames > 0 ? .slideTitle : .slideBody
                paragraphs.append((destination, level != nil, ""))
                if destination == .flow {
                    flow.openParagraph(headingLevel: level, listItem: listItemPending && level == nil)
                    listItemPending = false
                }
            case "text:list-item": listItemPending = true
            case "text:s": append(String(repeating: " ", count: min(Int(attributes["text:c"] ?? "1") ?? 1, 100)))
            case "text:tab": append("\t")
            case "text:line-break": append("\n")
            // A slide's table cells are read as its paragraphs.
            case "table:table-row": if slide == nil { flow.openRow() }
            case "table:table-cell": if slide == nil { flow.openCell() }
            case "text:note-body": flow.inNote += 1
            default: break
            }
        }

        private mutating func end(_ name: String) {
            switch name {
            case "text:h", "text:p":
                guard let paragraph = paragraphs.popLast() else { return }
                switch paragraph.destination {
                case .flow: flow.closeParagraph()
                case .slideTitle: slide?.title.append(paragraph.text)
                case .slideBody: slide?.body.append(paragraph.text)
                case .slideNotes: slide?.notes.append(paragraph.text)
                }
            case "draw:frame": if titleFrames > 0, notesDepth == 0 { titleFrames -= 1 }
            case "presentation:notes": notesDepth -= 1
            case "draw:page":
                guard let page = slide else { return }
                let title = DocumentFlow.tidy(page.title.joined(separator: " "))
                flow.beginUnit(.slide, number: page.number)
                flow.heading(title.isEmpty ? "Slide \(page.number)" : title, level: 1)
                for paragraph in page.body { flow.paragraph(paragraph) }
                let notes = DocumentFlow.tidy(page.notes.joined(separator: "\n"))
                if !notes.isEmpty { flow.paragraph("Notes: " + notes) }
                slide = nil
            case "table:table-cell": if slide == nil { flow.closeCell() }
            case "table:table-row": if slide == nil { flow.closeRow() }
            case "text:note-body": flow.inNote -= 1
            default: break
            }
        }

        private mutating func append(_ text: String) {
            guard let top = paragraphs.last else { return }
            if top.destination == .flow { flow.append(text) } else { paragraphs[paragraphs.count - 1].text += text }
        }
    }

    /// ODF collapses runs of spaces, tabs and line breaks in text to one space (`text:s`,
    /// `text:tab` and `text:line-break` stand for the ones that count).
    static func collapsingWhitespace(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }) || text.contains("  ") else { return text }
        var out = ""
        var lastWasSpace = false
        for c in text {
            if c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\r\n" {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(c)
                lastWasSpace = false
            }
        }
        return out
    }

    /// Paragraph styles that are, or derive from, `Title`: automatic styles (P1…) name the
    /// style they refine as their parent.
    static func titleStyles(_ xml: Data) throws(DocumentFormatError) -> Set<String> {
        var scanner = XMLScanner(xml)
        var titles: Set<String> = ["Title"]
        try scanner.forEach { event throws(DocumentFormatError) in
            if case .start("style:style", let attributes, _) = event, let name = attributes["style:name"],
               attributes["style:parent-style-name"] == "Title" { titles.insert(name) }
        }
        return titles
    }
}
