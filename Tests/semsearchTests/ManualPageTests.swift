import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport
@testable import SemsearchCLI

/// The man page and the README against the argument parser (``ManualPageCheck``): an option added
/// without documentation, or documented after it is gone, fails here.
@Suite struct ManualPageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func check() throws -> ManualPageCheck {
        try ManualPageCheck(toolInfoJSON: Data(Semsearch._dumpHelp().utf8))
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theManualDocumentsEveryOptionWithItsDefaultAndNoOther() throws {
        let problems = try check().problems(manual: text("man/semsearch.1"))
        #expect(problems.isEmpty, Comment(rawValue: "\(problems.count) problems:\n" + problems.joined(separator: "\n")))
    }

    @Test func theReadmeCommandLinesUseOnlyOptionsTheirCommandHas() throws {
        let problems = try check().problems(readme: text("README.md"))
        #expect(problems.isEmpty, Comment(rawValue: "\(problems.count) problems:\n" + problems.joined(separator: "\n")))
    }

    @Test func theManualNamesTheVersionTheBinaryReports() throws {
        let header = try #require(try text("man/semsearch.1").split(separator: "\n").first { $0.hasPrefix(".TH ") })
        #expect(header.contains("\"semsearch \(SemsearchVersion.current)\""), "\(header)")
    }

    /// The check itself: an undocumented option, a stale one, a missing default and a README line
    /// with an option its command lacks are each reported.
    @Test func theCheckReportsWhatDrifted() throws {
        var check = try check()
        let manual = try text("man/semsearch.1")
        let search = try #require(check.commands.firstIndex { $0.path == ["search"] })
        check.commands[search].options["brand-new-option"] = "7"
        let added = check.problems(manual: manual)
        #expect(added.contains("'search --brand-new-option' is not documented under '.SS search' or '.SS common'"), "\(added)")

        let withStale = manual.replacingOccurrences(of: ".SS search\n", with: ".SS search\n.TP\n.B \\-\\-gone\\-option\nOld.\n")
        let stale = try self.check().problems(manual: withStale)
        #expect(stale.contains("'.SS search' documents --gone-option, which 'search' does not have"), "\(stale)")

        let limit = try #require(check.commands[search].options["limit"] ?? nil, "search --limit has a parser default")
        let withoutDefault = manual.replacingOccurrences(of: "Results per query (default \(limit)).", with: "Results per query.")
        #expect(withoutDefault != manual)
        #expect(try self.check().problems(manual: withoutDefault).contains("'search --limit': its paragraph does not give the default \(limit)"))

        #expect(try self.check().problems(readme: "```sh\nsemsearch search --no-such-flag \"q\" | jq .\n```") == [
            "README: 'semsearch search' has no --no-such-flag: semsearch search --no-such-flag \"q\"",
        ])
    }
}
