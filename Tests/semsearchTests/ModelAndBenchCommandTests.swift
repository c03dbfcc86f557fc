import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct ModelAndBenchCommandTests {
    typealias CLI = CommandLineRunner

    @Test func modelListShowsTheBuiltInModel() throws {
        let result = try CLI.run(["model", "list"])
        #expect(result.status == 0)
        let line = try #require(result.stdoutLines.first { $0.hasPrefix("all-MiniLM-L6-v2") })
        #expect(line.contains("built-in") && line.contains("BERT") && line.contains("layers 6") && line.contains("dims 32,64,128,256,384"))
        #expect(line.contains("English") && line.contains("max 256 tokens"))
    }

    @Test func benchEmbedReportsThroughputAsJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 0..<3 { try "Passage number \(i) about rivers and mountains.".write(to: dir.appendingPathComponent("p\(i).txt"), atomically: true, encoding: .utf8) }
        try Data([0, 1, 2, 3]).write(to: dir.appendingPathComponent("binary.bin"))
        let result = try CLI.run(["bench", "embed", "--json", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try CLI.jsonObjects(result).first)
        #expect(object["texts"] as? Int == 3)
        #expect((object["tokens"] as? Int ?? 0) > 3 * 8)
        for key in ["seconds", "tokens_per_s", "peak_rss_mb", "threads"] { #expect(object[key] != nil, "missing \(key)") }
        #expect(((object["tokens_per_s"] as? NSNumber)?.doubleValue ?? 0) > 0)
    }
}
