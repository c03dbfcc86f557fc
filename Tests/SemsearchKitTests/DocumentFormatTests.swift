import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

/// The document readers on files real tools wrote (`Fixtures/documents/make-fixtures.sh`: pandoc,
/// LibreOffice, Python's email package) from the Markdown in `article.md` and `slides.md`: the
/// text, headings, lists, table rows and notes come out exactly, with no markup.
@Suite struct DocumentFormatTests {
    static func text(_ name: String) throws -> String {
        let url = TestSupport.fixtureURL("documents/\(name)")
        let format = try #require(DocumentFormat.of(fileName: name))
        return try format.text(of: try Data(contentsOf: url))
    }

    /// The article as every writer of it should read: the title and headings as headings, list
    /// items, the table's rows, and the footnote under Notes at the end.
    static let article = """
        # The Rhine

        # Course

        The Rhine rises in the Swiss Alps and flows north to the “North Sea” through Köln.

        It passes these cities:

        - Basel

        - Strasbourg

        - Rotterdam

        ## Delta

        City | Country

        Basel | Switzerland

        Köln | Germany

        The delta is shared with the Meuse.

        # Notes

        Köln is Cologne in English.
        """

    @Test(arguments: ["article.docx", "article-libreoffice.docx", "article.odt"])
    func officeAndOpenDocumentTextReadAsTheArticle(name: String) throws {
        #expect(try Self.text(name) == Self.article)
    }

    @Test func epubReadsInSpineOrderThroughTheHTMLPath() throws {
        // The notes come from an HTML list, so the note keeps its list marker.
        let expected = Self.article.replacingOccurrences(of: "# Notes\n\nKöln", with: "# Notes\n\n- Köln")
        #expect(try Self.text("article.epub") == expected)
    }

    @Test func rtfReadsAsText() throws {
        let text = try Self.text("article.rtf")
        #expect(text.contains("## Delta") && text.contains("through Köln.") && text.contains("“North Sea”"), "\(text)")
        #expect(!text.contains("\\") && !text.contains("{") && !text.contains("}"), "\(text)")
    }

    @Test(arguments: ["slides.pptx", "slides.odp"])
    func slideDecksReadOneSectionASlideWithNotes(name: String) throws {
        #expect(try Self.text(name) == """
            # River Deck

            # Sources

            Glaciers feed the Rhine

            Lake Constance stores water

            Notes: Mention the Rhine Falls.

            # Mouths

            The river splits into the Waal and the Nederrijn.
            """)
    }

    @Test func emailReadsHeadersBodyAndTextAttachments() throws {
        let text = try Self.text("message.eml")
        #expect(text == """
            # Flooding on the Rhine at Köln

            From: Anna Müller <anna@example.org>
            To: team@example.org
            Date: Tue, 01 Dec 2026 09:30:00 +0100

            The gauge at Köln reads 8.2 metres.
            Sandbags are ready by the bridge.

            # Attachment: levels.txt

            Levels by hour.
            """)
    }

    /// The location of the first occurrence of `phrase` in a document's text.
    static func location(of phrase: String, in located: LocatedText) throws -> DocumentLocation? {
        let found = try #require(located.text.range(of: phrase), "\(phrase) in \(located.text)")
        let start = located.text.utf8.distance(from: located.text.startIndex, to: found.lowerBound)
        let end = located.text.utf8.distance(from: located.text.startIndex, to: found.upperBound)
        return located.locations.location(of: start..<end)
    }

    static func located(_ name: String) throws -> LocatedText {
        let format = try #require(DocumentFormat.of(fileName: name))
        return try format.read(try Data(contentsOf: TestSupport.fixtureURL("documents/\(name)")))
    }

    /// Paragraphs are counted through the document as Word and Writer hold them: headings, list
    /// items and table rows are paragraphs too, and the notes go on from the body. The RTF reader
    /// writes a table as one block of rows, which counts once.
    @Test(arguments: ["article.docx", "article-libreoffice.docx", "article.odt", "article.rtf"])
    func textDocumentsLocateChunksByParagraph(name: String) throws {
        let located = try Self.located(name)
        let expected: [(String, Int)] = name.hasSuffix("rtf")
            ? [("The Rhine rises", 3), ("Rotterdam", 7), ("City | Country", 9), ("Köln | Germany", 9), ("The delta is shared", 10)]
            : [("# The Rhine", 1), ("# Course", 2), ("The Rhine rises", 3), ("- Strasbourg", 6), ("## Delta", 8),
               ("Köln | Germany", 11), ("The delta is shared", 12), ("# Notes", 13), ("Cologne", 14)]
        for (phrase, paragraph) in expected {
            #expect(try Self.location(of: phrase, in: located) == DocumentLocation(unit: .paragraph, start: paragraph, end: paragraph),
                    "\(phrase) in \(name)")
        }
        let whole = 0..<located.text.utf8.count
        #expect(located.locations.location(of: whole) == DocumentLocation(unit: .paragraph, start: 1, end: name.hasSuffix("rtf") ? located.locations.marks.last!.number : 14))
    }

    /// A slide is its place in the deck: pandoc's and LibreOffice's decks, and python-pptx's, whose
    /// third slide has no text and still counts.
    @Test(arguments: ["slides.pptx", "slides.odp", "deck.pptx"])
    func slideDecksLocateChunksBySlide(name: String) throws {
        let located = try Self.located(name)
        let expected: [(String, Int)] = name == "deck.pptx"
            ? [("# Gauges", 1), ("Kaub", 1), ("# Locks", 2), ("fish pass", 2), ("# Ferries", 4), ("Cable ferries", 4)]
            : [("# River Deck", 1), ("Glaciers", 2), ("Lake Constance", 2), ("Rhine Falls", 2), ("# Mouths", 3), ("Waal", 3)]
        for (phrase, slide) in expected {
            #expect(try Self.location(of: phrase, in: located) == DocumentLocation(unit: .slide, start: slide, end: slide), "\(phrase) in \(name)")
        }
        let whole = 0..<located.text.utf8.count
        #expect(located.locations.location(of: whole) == DocumentLocation(unit: .slide, start: 1, end: name == "deck.pptx" ? 4 : 3))
    }

    /// pandoc's EPUB of `book.md` has a title page and a document a chapter in its spine.
    @Test func epubLocatesChunksByChapterInSpineOrder() throws {
        let located = try Self.located("book.epub")
        for (phrase, chapter) in [("Three Rivers", 1), ("Swiss Alps", 2), ("Black Sea", 3), ("reeds", 3), ("Dresden", 4)] {
            #expect(try Self.location(of: phrase, in: located) == DocumentLocation(unit: .chapter, start: chapter, end: chapter), "\(phrase)")
        }
        #expect(located.text.hasPrefix("# Three Rivers\n\n# The Rhine"), "\(located.text)")
    }

    /// reportlab's three-page PDF, through `pdftotext`, whose form feeds end the pages.
    @Test func pdfLocatesChunksByPage() throws {
        guard ExternalTool.which("pdftotext") != nil else {
            print("skipped: pdftotext is not installed (Debian: poppler-utils), so PDF pages cannot be read")
            return
        }
        let document = try Extractor().extract(path: TestSupport.fixtureURL("documents/pages.pdf").path)
        let located = LocatedText(text: document.text, locations: try #require(document.locations))
        for (phrase, page) in [("source of the river", 1), ("Schaffhausen", 2), ("North Sea", 3)] {
            #expect(try Self.location(of: phrase, in: located) == DocumentLocation(unit: .page, start: page, end: page), "\(phrase)")
        }
        #expect(located.locations.location(of: 0..<located.text.utf8.count - 1) == DocumentLocation(unit: .page, start: 1, end: 3))
    }

    /// Hostile and damaged containers are refused or reported in one line each, within bounds.
    @Test func hostileContainersAreRefusedNotRead() throws {
        let docx = try Data(contentsOf: TestSupport.fixtureURL("documents/article.docx"))
        // Truncated at every tenth of its length: an error, never a crash or a hang.
        for tenth in 1..<10 {
            #expect(throws: DocumentFormatError.self) { try DocumentFormat.docx.text(of: docx.prefix(docx.count * tenth / 10)) }
        }
        // A DTD that declares entities (the billion laughs) is refused before anything expands.
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>
            """
        #expect(throws: DocumentFormatError.refused("XML with a DTD that declares entities")) {
            try DocumentFormat.docx.text(of: try Self.zip(["word/document.xml": Data(laughs.utf8)]))
        }
        // A part that is not a document's: missing, named as such.
        #expect(throws: DocumentFormatError.missingPart("word/document.xml")) {
            try DocumentFormat.docx.text(of: try Self.zip(["readme.txt": Data("hello".utf8)]))
        }
    }

    /// A zip written by Python's zipfile (another producer than any Office suite).
    static func zip(_ parts: [String: Data]) throws -> Data {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, (_, data)) in parts.enumerated() { try data.write(to: dir.appendingPathComponent("part\(i)")) }
        let names = parts.keys.enumerated().map { "(\"part\($0.offset)\", \"\($0.element)\")" }.joined(separator: ", ")
        let script = "import zipfile\nwith zipfile.ZipFile('out.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n    for src, name in [\(names)]:\n        z.write(src, name)\n"
        try ExternalTool.python(script, in: dir)
        return try Data(contentsOf: dir.appendingPathComponent("out.zip"))
    }
}
