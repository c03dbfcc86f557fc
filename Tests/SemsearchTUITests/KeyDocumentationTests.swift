import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing
import SemsearchTUI

/// The help screen and the manual page list the same keys.
@Suite struct KeyDocumentationTests {
    init() { _ = TestLocale.ready }

    static let keys = ["Tab", "Enter", "Esc", "Home", "End", "PgUp", "PgDn", "F1", "F2", "F5", "F6", "F7", "F8",
                       "Ctrl-A", "Ctrl-E", "Ctrl-W", "Ctrl-U", "Ctrl-K", "Ctrl-N", "Ctrl-P", "Ctrl-R", "Ctrl-G", "Ctrl-C", "Shift-"]

    @Test func everyKeyIsInTheHelpScreenAndTheManualPage() throws {
        var driver = Driver()
        driver.press(.function(1))
        let help = driver.lines.joined(separator: "\n")
        let manualURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("man/semsearch.1")
        let manual = try String(contentsOf: manualURL, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
        let keysSection = manual.components(separatedBy: ".SH KEYS").dropFirst().first?.components(separatedBy: ".SH OPTIONS").first ?? ""
        for key in Self.keys {
            #expect(help.contains(key), "help screen lacks \(key)")
            #expect(keysSection.contains(key), "manual KEYS section lacks \(key)")
        }
    }
}
