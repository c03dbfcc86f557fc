import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct CrawlerAndExtractorTests {
    @Test func crawlSkipsHiddenIgnoredOversizedAndLoops() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("a.md", "# A")
        try write("sub/b.txt", "b")
        try write("sub/skip.log", "log")
        try write(".hidden/c.md", "c")
        try write(".git/config", "x")
        try write("node_modules/d.js", "d")
        try write(".gitignore", "node_modules/\n")
        try write("sub/.semsearchignore", "*.log\n")
        try write("big.txt", String(repeating: "x", count: 2000))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("sub/loop").path, withDestinationPath: root.path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/file")
        let report = try Crawler(maxFileSize: 1000).crawl(root: root.path)
        #expect(report.files.map { String($0.path.dropFirst(root.path.count + 1)) } == ["a.md", "sub/b.txt"])
        #expect(report.skipped[.symlinkLoop] == 1)
        #expect(report.skipped[.tooLarge] == 1)
        #expect((report.skipped[.ignored] ?? 0) == 2)
        #expect(report.warnings.contains { $0.contains("broken symbolic link") })
        #expect(throws: IngestError.rootNotFound("/nonexistent/root")) { try Crawler().crawl(root: "/nonexistent/root") }
    }

    @Test func extractorRefusesBinaryAndToleratesAFewBadBytes() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13]).write(to: binary)
        #expect(throws: IngestError.binary(binary.path)) { try Extractor().extract(path: binary.path) }
        let latin1 = dir.appendingPathComponent("latin1.txt")
        try Data([0xE9, 0xE8, 0xFF, 0xFE, 0x41, 0x42]).write(to: latin1)
        #expect(throws: IngestError.notText(latin1.path)) { try Extractor().extract(path: latin1.path) }
        let mostlyText = dir.appendingPathComponent("mostly.txt")
        try (Data(String(repeating: "good text ", count: 100).utf8) + Data([0xFF]) + Data(" end".utf8)).write(to: mostlyText)
        let document = try Extractor().extract(path: mostlyText.path)
        #expect(document.hadInvalidUTF8 && document.text.hasSuffix("\u{FFFD} end"))
        let html = dir.appendingPathComponent("page.html")
        try "<html><head><style>p{}</style><script>x()</script></head><body><h1>Title</h1><p>Fish &amp; chips</p></body></html>"
            .write(to: html, atomically: true, encoding: .utf8)
        let page = try Extractor().extract(path: html.path)
        #expect(page.text == "# Title\n\nFish & chips")
        #expect(page.kind == .markdown)
    }
}
