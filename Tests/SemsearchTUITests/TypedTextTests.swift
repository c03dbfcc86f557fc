import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing
import SemsearchTUI

/// Keys read in one burst from the terminal.
@Suite struct TypedTextTests {
    init() { _ = TestLocale.ready }

    @Test func aBurstOfCharactersBecomesOneEditAndOneSearch() {
        let burst: [TUIEvent] = "river delta".map { .key(.character($0)) } + [.key(.enter)] + [.key(.character("x"))]
        let events = TerminalApp.coalescingTypedText(burst)
        #expect(events.count == 3)
        guard case .key(.text(let text)) = events[0], case .key(.enter) = events[1], case .key(.character("x")) = events[2] else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(text == "river delta")
        var driver = Driver()
        driver.type("a ")
        for event in events.prefix(1) { driver.send(event) }
        #expect(driver.state.query == "a river delta" && driver.lastSearch?.query == "a river delta" && driver.lastSearch?.generation == 3)
        // A leading ? stays a key of its own (help on an empty query); inside a burst it is text.
        let question = TerminalApp.coalescingTypedText([.key(.character("?")), .key(.character("a")), .key(.character("?"))])
        #expect(question.count == 2)
    }
}
