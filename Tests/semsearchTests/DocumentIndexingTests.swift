import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

/// A folder of real Office, OpenDocument, EPUB, RTF and e-mail files (written by pandoc,
/// LibreOffice and Python: `Tests/SemsearchKitTests/Fixtures/documents`) beside a zip bomb, a lock
/// file and an Office owner file, indexed and searched as a user would.
@Suite struct DocumentIndexingTests {
    typealias CLI = CommandLineRunner
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SemsearchKitTests/Fixtures/documents")
    static let documents = ["article.docx", "article-libreoffice.docx", "article.odt", "article.epub", "article.rtf",
                            "slides.pptx", "slides.odp", "message.eml", "deck.pptx", "book.epub"]

    @Test func documentsAreSearchableAndHostileOrGeneratedFilesAreCounted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        for name in Self.documents {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: docs.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("article.docx"), to: docs.appendingPathComponent("~$article.docx"))
        try "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n".write(to: docs.appendingPathComponent("Cargo.lock"), atomically: true, encoding: .utf8)
        // 50 MB of zeros in 50 KB: refused before it is inflated.
        try ExternalTool.python("import zipfile\nwith zipfile.ZipFile('bomb.docx', 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n    z.writestr('word/document.xml', b'\\0' * (50 << 20))\n", in: docs)
        let db = dir.appendingPathComponent("index.sqlite").path

        let started = Date()
        let result = try CLI.run(["index", "--db", db, docs.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        let summary = try #require(result.stderrLines.last)
        #expect(summary.contains("10 new") && summary.contains("1 lock or generated") && summary.contains("1 editor temporary")
                && summary.contains("1 refused"), "\(summary)")
        #expect(result.stderr.contains("bomb.docx: refused ("), "\(result.stderr)")

        // Every format answers a question about what only its text says, and no chunk carries markup.
        let rows = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "40", "what is Köln called in English"]))
        let paths = Set(rows.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } })
        for name in Self.documents where name.hasPrefix("article") { #expect(paths.contains(name), "\(name) in \(paths)") }
        let everything = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "200", "--no-hybrid", "rivers"]))
        #expect(everything.count >= Self.documents.count, "every document is indexed (a short one is one chunk)")
        for row in everything {
            let text = row["text"] as? String ?? ""
            #expect(!text.contains("<w:") && !text.contains("\\par") && !text.contains("</") && !text.contains("{\\"), "\(text)")
        }
        let notes = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "3", "mention the waterfall in the speaker notes"]))
        #expect(notes.contains { ($0["path"] as? String)?.hasSuffix("slides.pptx") == true || ($0["path"] as? String)?.hasSuffix("slides.odp") == true })

        // Each result says where it is in the document's own terms.
        let units = ["docx": "paragraph", "odt": "paragraph", "rtf": "paragraph", "eml": "paragraph",
                     "pptx": "slide", "odp": "slide", "epub": "chapter"]
        for row in everything {
            let name = (row["path"] as? String ?? "") as NSString
            let location = try #require(row["location"] as? [String: Any], "\(name.lastPathComponent) has a location")
            #expect(location["unit"] as? String == units[name.pathExtension], "\(name.lastPathComponent): \(location)")
            #expect((location["start"] as? Int ?? 0) >= 1 && (location["end"] as? Int ?? 0) >= (location["start"] as? Int ?? 0))
        }
        try expectTopResult("the last lock on the Upper Rhine", in: db, file: "deck.pptx", unit: "slide", 2)
        try expectTopResult("which river passes Dresden", in: db, file: "book.epub", unit: "chapter", 4)

        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["formats"] as? [String: Int] == ["docx": 2, "odt": 1, "epub": 2, "rtf": 1, "pptx": 2, "odp": 1, "eml": 1],
                "\(status["formats"] ?? "none")")

        // Asked for, generated files are indexed too.
        let included = try CLI.run(["index", "--db", db, "--include-generated", docs.path])
        #expect(included.status == 0 && (included.stderrLines.last ?? "").contains("1 new"), "\(included.stderr)")

        // An index from before chunks had locations (schema 7): opening it upgrades it without
        // marking anything changed, and the next run reads the documents again to locate them.
        try ExternalTool.python("""
            import sqlite3
            db = sqlite3.connect('\(db)')
            for column in ('location_unit', 'location_start', 'location_end'):
                db.execute('ALTER TABLE chunks DROP COLUMN ' + column)
            db.execute("DELETE FROM grdb_migrations WHERE identifier = 'v8-chunk-locations'")
            db.commit()
            """, in: dir)
        let upgraded = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "1", "the last lock on the Upper Rhine"]))
        #expect(upgraded.first?["location"] is NSNull && upgraded.first?["stale"] == nil, "\(upgraded)")
        let reread = try CLI.run(["index", "--db", db, "--include-generated", docs.path])
        #expect(reread.status == 0 && (reread.stderrLines.last ?? "").contains("\(Self.documents.count) changed"), "\(reread.stderr)")
        try expectTopResult("the last lock on the Upper Rhine", in: db, file: "deck.pptx", unit: "slide", 2)
    }

    /// The top result is in `file`, and its chunk covers unit `number` (a short document is one
    /// chunk, whose location spans its units).
    func expectTopResult(_ query: String, in db: String, file: String, unit: String, _ number: Int) throws {
        let top = try #require(try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "1", query])).first)
        #expect((top["path"] as? String)?.hasSuffix("/" + file) == true, "\(top)")
        let location = top["location"] as? [String: Any]
        let start = location?["start"] as? Int ?? 0, end = location?["end"] as? Int ?? 0
        #expect(location?["unit"] as? String == unit && start <= number && number <= end, "\(top)")
    }
}
