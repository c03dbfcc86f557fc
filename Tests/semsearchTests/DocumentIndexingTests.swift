import Foundation
import Testing
import SemsearchKit

/// A folder of real Office, OpenDocument, EPUB, RTF and e-mail files (written by pandoc,
/// LibreOffice and Python: `Tests/SemsearchKitTests/Fixtures/documents`) beside a zip bomb, a lock
/// file and an Office owner file, indexed and searched as a user would.
@Suite struct DocumentIndexingTests {
    typealias CLI = CommandLineRunner
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SemsearchKitTests/Fixtures/documents")
    static let documents = ["article.docx", "article-libreoffice.docx", "article.odt", "article.epub", "article.rtf",
                            "slides.pptx", "slides.odp", "message.eml"]

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
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import zipfile\nwith zipfile.ZipFile('bomb.docx', 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n    z.writestr('word/document.xml', b'\\0' * (50 << 20))\n"]
        python.currentDirectoryURL = docs
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        let db = dir.appendingPathComponent("index.sqlite").path

        let started = Date()
        let result = try CLI.run(["index", "--db", db, docs.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        let summary = try #require(result.stderrLines.last)
        #expect(summary.contains("8 new") && summary.contains("1 lock or generated") && summary.contains("1 editor temporary")
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

        // Asked for, generated files are indexed too.
        let included = try CLI.run(["index", "--db", db, "--include-generated", docs.path])
        #expect(included.status == 0 && (included.stderrLines.last ?? "").contains("1 new"), "\(included.stderr)")
    }
}
