import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing
import SemsearchTUI

/// The preview keeps the chunk in view when lines wrap.
@Suite struct PreviewLayoutTests {
    init() { _ = TestLocale.ready }

    @Test func longWrappedContextAboveTheChunkDoesNotPushItOutOfView() {
        var driver = Driver()
        driver.type("sea")
        let text = "It flows to the North Sea."
        driver.answer([result(1, id: 7, path: "/home/ann/notes/rhine.md", line: 37, text: text)])
        let long = String(repeating: "From here the situation becomes more complicated. ", count: 12)
        driver.send(.previewLoaded(Preview(chunkID: 7, path: "/home/ann/notes/rhine.md", firstLine: 34,
                                           lines: [long, long, "", text, "After."], chunkLines: 37...37)))
        let lines = driver.lines
        let title = driver.row(containing: "─ rhine.md  lines 37–37")!
        // Line 35 takes many rows, so only the blank line 36 stands above the chunk.
        #expect(lines[title + 1].hasPrefix(" 36   "))
        #expect(lines[title + 2].hasPrefix(" 37 ▌ It flows to the North Sea."))
        #expect(lines[title + 3].hasPrefix(" 38   After."))
    }
}
