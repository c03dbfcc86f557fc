import Foundation

/// The text of a `.docx` (WordprocessingML): the body's paragraphs in order; a paragraph styled
/// `Title` or `Heading N` (by the style's name, its `basedOn` chain, or an outline level) as a
/// heading; list paragraphs as `- ` items; table rows as cells joined by ` | `; text boxes as
/// paragraphs of their own (the `mc:Fallback` copy Word writes beside each is skipped); tracked
/// deletions (`w:del`, `w:moveFrom`) left out and insertions kept; field instructions, comments,
/// headers and footers left out; footnotes and endnotes under `# Notes` at the end.
enum WordDocumentText {
    static func extract(_ archive: ZipArchive) throws(DocumentFormatError) -> String {
        let styles = try archive.entry("word/styles.xml").map { entry throws(DocumentFormatError) in
            try headingStyles(try archive.read(entry))
        } ?? [:]
        var flow = DocumentFlow()
        try walk(try archive.read("word/document.xml"), styles: styles, into: &flow, notes: false)
        for part in ["word/footnotes.xml", "word/endnotes.xml"] {
            if let entry = archive.entry(part) { try walk(try archive.read(entry), styles: styles, into: &flow, notes: true) }
        }
        return flow.finish()
    }

    /// Elements whose whole content is not part of the text a reader sees.
    private static let skipped: Set<String> = [
        "w:del", "w:moveFrom", "mc:Fallback", "w:instrText", "w:delText", "w:rPr", "w:sectPr", "w:commentRangeStart",
        "w:fldData", "w:pict", "w:object", "w:tabs",
        // Tracked formatting changes hold the old properties (an old style would override the new).
        "w:pPrChange", "w:rPrChange", "w:sectPrChange", "w:tblPrChange", "w:trPrChange", "w:tcPrChange", "w:numberingChange",
    ]

    private static func walk(_ xml: Data, styles: [String: Int], into flow: inout DocumentFlow, notes: Bool) throws(DocumentFormatError) {
        var scanner = XMLScanner(xml)
        var skipDepth = 0
        var inText = false
        var paragraphDepth = 0
        if notes { flow.inNote += 1 }
        defer { if notes { flow.inNote -= 1 } }
        try scanner.forEach { event throws(DocumentFormatError) in
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if skipDepth > 0 || skipped.contains(name) {
                    if !selfClosing { skipDepth += 1 }
                    return
                }
                switch name {
                case "w:footnote", "w:endnote":
                    // Word's separator "notes" are rules between the body and the notes.
                    if let type = attributes["w:type"], type.contains("eparator") || type == "continuationNotice", !selfClosing { skipDepth += 1 }
                case "w:p":
                    flow.openParagraph()
                    paragraphDepth += 1
                    if selfClosing { flow.closeParagraph(); paragraphDepth -= 1 }
                case "w:pStyle":
                    if let style = attributes["w:val"], let level = styles[style] { flow.setHeadingLevel(level) }
                case "w:outlineLvl":
                    if let value = attributes["w:val"].flatMap(Int.init), value < 9 { flow.setHeadingLevel(value + 1) }
                case "w:numPr":
                    flow.setListItem()
                case "w:t": inText = !selfClosing
                case "w:tab", "w:ptab": flow.append("\t")
                case "w:br", "w:cr": flow.append("\n")
                case "w:noBreakHyphen": flow.append("-")
                case "w:tr": flow.openRow()
                case "w:tc": flow.openCell()
                default: break
                }
            case .end(let name):
                if skipDepth > 0 { skipDepth -= 1; return }
                switch name {
                case "w:t": inText = false
                case "w:p":
                    flow.closeParagraph()
                    paragraphDepth -= 1
                case "w:tc": flow.closeCell()
                case "w:tr": flow.closeRow()
                default: break
                }
            case .text(let text):
                if skipDepth == 0, inText, paragraphDepth > 0 { flow.append(text) }
            }
        }
    }

    /// Heading level of each paragraph style (by id) that is a heading: named `heading N` or
    /// `Title`, carrying an outline level, or based on such a style.
    static func headingStyles(_ xml: Data) throws(DocumentFormatError) -> [String: Int] {
        var scanner = XMLScanner(xml)
        var current: String?
        var own: [String: Int] = [:]
        var basedOn: [String: String] = [:]
        var inParagraphStyle = false
        try scanner.forEach { event throws(DocumentFormatError) in
            switch event {
            case .start("w:style", let attributes, _):
                inParagraphStyle = attributes["w:type"] == nil || attributes["w:type"] == "paragraph"
                current = inParagraphStyle ? attributes["w:styleId"] : nil
            case .start("w:name", let attributes, _):
                guard let id = current, let name = attributes["w:val"]?.lowercased() else { return }
                if name == "title" { own[id] = 1 }
                if name.hasPrefix("heading "), let level = Int(name.dropFirst(8)), (1...9).contains(level) { own[id] = level }
            case .start("w:basedOn", let attributes, _):
                if let id = current, let base = attributes["w:val"] { basedOn[id] = base }
            case .start("w:outlineLvl", let attributes, _):
                // Level 9 is body text: it also stops a heading level inherited through basedOn (0 here).
                if let id = current, own[id] == nil, let value = attributes["w:val"].flatMap(Int.init) { own[id] = value < 9 ? value + 1 : 0 }
            case .end("w:style"):
                current = nil
            default: break
            }
        }
        var levels = own
        for id in basedOn.keys where levels[id] == nil {
            var next = basedOn[id]
            var hops = 0
            while let base = next, hops < 10 {
                if let level = own[base] { levels[id] = level; break }
                next = basedOn[base]
                hops += 1
            }
        }
        return levels.filter { $0.value > 0 }
    }
}
