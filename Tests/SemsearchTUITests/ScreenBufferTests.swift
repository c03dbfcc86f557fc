import Testing
import SemsearchTUI

@Suite struct ScreenBufferTests {
    init() { _ = TestLocale.ready }

    @Test func measuresWideAndZeroWidthCharacters() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute accent
    }

    @Test func putsTextAndClipsAtTheEdge() {
        var buffer = ScreenBuffer(rows: 2, columns: 8)
        #expect(buffer.put("hello world", row: 0, column: 2) == 6)
        #expect(buffer.line(0) == "  hello ")
        #expect(buffer.put("ab", row: 5, column: 0) == 0)
    }

    @Test func wideCharactersTakeTwoCellsAndNeverStraddleTheEdge() {
        var buffer = ScreenBuffer(rows: 1, columns: 5)
        #expect(buffer.put("東京都", row: 0, column: 0) == 4)
        #expect(buffer[0, 0].character == "東" && buffer[0, 1].character == nil)
        #expect(buffer[0, 4].character == " ")
        #expect(buffer.line(0) == "東京 ")
    }

    @Test func respectsAGivenWidthAndStyle() {
        var buffer = ScreenBuffer(rows: 1, columns: 10)
        buffer.fill(row: 0, style: .reverse)
        #expect(buffer.put("docs/日本語.md", row: 0, column: 1, width: 6, style: .bold) == 5)  // 日 would need 7
        #expect(buffer.line(0) == " docs/    ")
        #expect(buffer.put("docs/日本語.md", row: 0, column: 1, width: 7, style: .bold) == 7)
        #expect(buffer.line(0) == " docs/日  ")
        #expect(buffer[0, 1].style == .bold && buffer[0, 0].style == .reverse)
    }

    @Test func controlCharactersAreShownNotEmitted() {
        var buffer = ScreenBuffer(rows: 1, columns: 4)
        buffer.put("a\u{1B}b", row: 0, column: 0)
        #expect(buffer.line(0) == "a\u{FFFD}b ")
    }
}
