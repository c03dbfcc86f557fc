/// A document's extracted text, Markdown-shaped, and where its units (pages, slides, chapters,
/// messages or paragraphs) begin in it.
public struct LocatedText: Sendable, Equatable {
    public var text: String
    public var locations: LocationMarks

    public init(text: String, locations: LocationMarks) {
        self.text = text
        self.locations = locations
    }

    /// Text whose unit is the paragraph (word-processor files, RTF, e-mail).
    static func paragraphs(_ text: String) -> LocatedText {
        LocatedText(text: text, locations: .paragraphs(in: text))
    }

    /// Sections written one after another, a blank line between them, each the unit numbered with it.
    static func joining(_ sections: [(number: Int, text: String)], unit: DocumentLocation.Unit) -> LocatedText {
        var text = ""
        var marks = LocationMarks(unit: unit)
        for section in sections where !section.text.isEmpty {
            if !text.isEmpty { text += "\n\n" }
            marks.add(offset: text.utf8.count, number: section.number)
            text += section.text
        }
        return LocatedText(text: text, locations: marks)
    }
}
