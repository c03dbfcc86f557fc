import Foundation
import Testing
@testable import SemsearchMCP

/// The cursor a search page hands out: opaque to the client, read back without server state, and
/// refused when it belongs to another search or another index run.
struct SearchCursorTests {
    let fingerprint = SearchCursor.fingerprint(["rhine", "", "true", "0", "0", "lines"])

    @Test func aCursorReadsBackAsTheSamePage() throws {
        let cursor = SearchCursor(offset: 20, fingerprint: fingerprint, indexRun: "1764850000.5")
        #expect(!cursor.token.contains("=") && !cursor.token.contains("/") && !cursor.token.contains("+"), "URL-safe, unpadded")
        let read = try SearchCursor(token: cursor.token, fingerprint: fingerprint, indexRun: "1764850000.5")
        #expect(read == cursor)
    }

    @Test func aCursorOfAnotherSearchOrAnotherRunIsRefused() {
        let token = SearchCursor(offset: 10, fingerprint: fingerprint, indexRun: "1").token
        let other = SearchCursor.fingerprint(["rhine", "", "false", "0", "0", "lines"])
        #expect(other != fingerprint, "the options are part of the fingerprint")
        #expect(throws: ToolError.self) { try SearchCursor(token: token, fingerprint: other, indexRun: "1") }
        #expect(throws: ToolError.self) { try SearchCursor(token: token, fingerprint: fingerprint, indexRun: "2") }
        #expect(throws: ToolError.self) { try SearchCursor(token: "not a cursor", fingerprint: fingerprint, indexRun: "1") }
        let far = SearchCursor(offset: 1_000_000, fingerprint: fingerprint, indexRun: "1").token
        #expect(throws: ToolError.self) { try SearchCursor(token: far, fingerprint: fingerprint, indexRun: "1") }
    }
}
