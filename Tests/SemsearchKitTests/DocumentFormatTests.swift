import Foundation
import Testing
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
        let text = try Self.text("article.epub")
        #expect(text == """
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

            - Köln is Cologne in English.
            """)
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 zipfile failed")
        return try Data(contentsOf: dir.appendingPathComponent("out.zip"))
    }
}
