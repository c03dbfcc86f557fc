import Foundation

/// The text of a `.pptx` (PresentationML): one section a slide, in the presentation's order (its
/// `p:sldIdLst`, not the file names), headed by the slide's title placeholder (or `Slide N` when it
/// has none), then the other shapes' paragraphs and table rows, then the speaker notes as a
/// paragraph starting `Notes:`. The heading starts a new chunk at a slide once the chunk holds a
/// quarter of its budget (a short deck stays one chunk); each slide's number (its place in the presentation, counting slides without text) is its location.
enum SlideDeckText {
    static func extract(_ archive: ZipArchive) throws(DocumentFormatError) -> LocatedText {
        let presentation = "ppt/presentation.xml"
        let relationships = try Relationships.of(presentation, in: archive)
        var slideIDs: [String] = []
        var scanner = XMLScanner(try archive.read(presentation))
        try scanner.forEach { event throws(DocumentFormatError) in
            if case .start("p:sldId", let attributes, _) = event, let id = attributes["r:id"] { slideIDs.append(id) }
        }
        var flow = DocumentFlow()
        for (index, id) in slideIDs.enumerated() {
            guard let slide = relationships[id]?.target, archive.entry(slide) != nil else { continue }
            let slideShapes = try Self.shapes(of: try archive.read(slide))
            let title = slideShapes.first { $0.isTitle }?.paragraphs.joined(separator: " ")
            flow.beginUnit(.slide, number: index + 1)
            flow.heading(title ?? "Slide \(index + 1)", level: 1)
            for shape in slideShapes where !shape.isTitle && !shape.isBoilerplate {
                for paragraph in shape.paragraphs { flow.paragraph(paragraph) }
            }
            let slideRelationships = try Relationships.of(slide, in: archive)
            if let notes = slideRelationships.values.first(where: { $0.type.hasSuffix("/notesSlide") })?.target, archive.entry(notes) != nil {
                let body = try Self.shapes(of: try archive.read(notes)).filter { $0.placeholder == "body" }
                    .flatMap(\.paragraphs).joined(separator: "\n")
                if !DocumentFlow.tidy(body).isEmpty { flow.paragraph("Notes: " + body) }
            }
        }
        let text = flow.finish()
        return LocatedText(text: text, locations: flow.units ?? LocationMarks(unit: .slide))
    }

    struct Shape {
        var placeholder: String?
        var paragraphs: [String] = []
        var isTitle: Bool { placeholder == "title" || placeholder == "ctrTitle" }
        /// Slide number, date, header and footer placeholders: the same on every slide.
        var isBoilerplate: Bool { ["sldNum", "dt", "ftr", "hdr"].contains(placeholder ?? "") }
    }

    /// The shapes of a slide (or notes page) with their paragraphs; a table's rows as paragraphs of
    /// cells joined by ` | `.
    static func shapes(of xml: Data) throws(DocumentFormatError) -> [Shape] {
        var scanner = XMLScanner(xml)
        var shapes: [Shape] = []
        var current: Shape?
        var paragraph: String?
        var inText = false
        var row: [String]?
        var cell: String?
        // PowerPoint writes a fallback copy of newer shapes beside them (mc:AlternateContent).
        var skipDepth = 0
        try scanner.forEach { event throws(DocumentFormatError) in
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if skipDepth > 0 || name == "mc:Fallback" {
                    if !selfClosing { skipDepth += 1 }
                    return
                }
                switch name {
                case "p:sp", "p:graphicFrame": if !selfClosing { current = Shape() }
                case "p:ph": current?.placeholder = attributes["type"] ?? "body"
                case "a:p": paragraph = selfClosing ? nil : ""
                case "a:t": inText = !selfClosing
                case "a:br": paragraph? += "\n"
                case "a:tr": row = []
                case "a:tc": cell = ""
                default: break
                }
            case .end(let name):
                if skipDepth > 0 { skipDepth -= 1; return }
                switch name {
                case "a:t": inText = false
                case "a:p":
                    if let text = paragraph {
                        if cell != nil { cell! += (cell!.isEmpty ? "" : " ") + text } else { current?.paragraphs.append(text) }
                    }
                    paragraph = nil
                case "a:tc":
                    if let text = cell, !text.isEmpty { row?.append(text) }
                    cell = nil
                case "a:tr":
                    if let cells = row, !cells.isEmpty { current?.paragraphs.append(cells.joined(separator: " | ")) }
                    row = nil
                case "p:sp", "p:graphicFrame":
                    if let shape = current, !shape.paragraphs.isEmpty { shapes.append(shape) }
                    current = nil
                default: break
                }
            case .text(let text):
                if inText, skipDepth == 0 { paragraph? += text }
            }
        }
        return shapes.map { shape in
            var tidy = shape
            tidy.paragraphs = shape.paragraphs.map(DocumentFlow.tidy).filter { !$0.isEmpty }
            return tidy
        }.filter { !$0.paragraphs.isEmpty }
    }
}
