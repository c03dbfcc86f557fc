import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing
import SemsearchTUI

/// The state machine driven key by key, asserting on the rendered screen.
@Suite struct TUIStateMachineTests {
    init() { _ = TestLocale.ready }

    @Test func typingEditsTheQueryAndEveryChangeSearchesAgain() {
        var driver = Driver()
        driver.type("rivr delta")
        #expect(driver.state.query == "rivr delta")
        #expect(driver.lastSearch?.query == "rivr delta" && driver.lastSearch?.generation == 10)
        #expect(driver.lines[0].hasPrefix("❯ rivr delta"))
        #expect(driver.screen.cursor == ScreenBuffer.Position(row: 0, column: 12))
        // Fix the typo in the middle: Ctrl-A, then right ×3, insert "e".
        driver.press(.control("a"), .right, .right, .right)
        #expect(driver.screen.cursor?.column == 5)
        driver.type("e")
        #expect(driver.state.query == "river delta" && driver.lastSearch?.query == "river delta")
        driver.press(.control("e"), .control("w"))
        #expect(driver.state.query == "river ")
        driver.press(.backspace, .home, .delete)
        #expect(driver.state.query == "iver")
        let searches = driver.effects.filter { if case .search = $0 { return true } else { return false } }.count
        driver.press(.left, .right, .end)  // moving the cursor searches nothing
        #expect(driver.effects.filter { if case .search = $0 { return true } else { return false } }.count == searches)
        driver.press(.control("u"))
        #expect(driver.state.query.isEmpty && !driver.state.isSearching)
        #expect(driver.lines[1].contains("type to search 5,678 chunks in 1,234 files"))
    }

    @Test func resultsListShowsRankScoreBarPathLineHeadingAndSnippet() {
        var driver = Driver()
        driver.type("delta")
        #expect(driver.state.isSearching && driver.lines[0].contains("searching…"))
        driver.answer(riverResults)
        let lines = driver.lines
        #expect(lines[1].contains("3 results at L6/d384"))
        #expect(lines[2].hasPrefix("▌  1 ███▌  0.710  geo/rhine.md:3  Rhine › Delta"))
        #expect(lines[3].contains("The Rhine forms a delta"))
        #expect(lines[4].hasPrefix("   2 ███▎  0.640  geo/nile.md:8  Nile"))
        #expect(lines[6].contains("/srv/shared/bread.md:1"))  // outside the working directory: absolute
        #expect(lines[23].contains("L6/6") && lines[23].contains("d384/384") && lines[23].contains("3 results")
            && lines[23].contains("12.5 ms") && lines[23].contains("exact"))
        // The query's words are highlighted in the snippet.
        let screen = driver.screen
        let column = lines[3].distance(from: lines[3].startIndex, to: lines[3].range(of: "delta")!.lowerBound)
        #expect(screen[3, column].style.isSuperset(of: [.dim, .bold, .underline]) && screen[3, column].pen.foreground == .yellow)
        #expect(!screen[3, column - 2].style.contains(.underline) && screen[3, column - 2].pen.foreground == .default)
        #expect(!driver.state.isSearching && !lines[0].contains("searching…"))
    }

    /// A document's result names its slide (page, chapter…) in its row, the preview's title and,
    /// while selected, the status line.
    @Test func aDocumentsResultShowsItsLocation() {
        var driver = Driver()
        driver.type("lock")
        driver.answer([result(1, id: 21, path: "/home/ann/notes/deck.pptx", line: 5, heading: "# Locks", text: "Iffezheim is the last lock.",
                              score: 0.8, location: DocumentLocation(unit: .slide, start: 2, end: 2)),
                       result(2, id: 22, path: "/home/ann/notes/book.epub", line: 9, heading: "# The Elbe", text: "The Elbe passes Dresden.",
                              score: 0.6, location: DocumentLocation(unit: .chapter, start: 3, end: 4))])
        var lines = driver.lines
        #expect(lines[2].contains("deck.pptx:5 slide 2  # Locks"), "\(lines[2])")
        #expect(lines[4].contains("book.epub:9 chapters 3–4  # The Elbe"), "\(lines[4])")
        #expect(driver.row(containing: "─ deck.pptx  slide 2 · lines 5–5") != nil, "\(lines)")
        #expect(lines[23].contains("│ slide 2 │"), "\(lines[23])")
        driver.press(.tab, .down)
        lines = driver.lines
        #expect(lines[23].contains("│ chapters 3–4 │") && !lines[23].contains("slide 2"), "\(lines[23])")
    }

    @Test func navigationMovesTheSelectionAndThePreviewFollowsIt() {
        var driver = Driver()
        driver.type("delta")
        driver.answer(riverResults)
        guard case .loadPreview(let first)? = driver.effects.last else { Issue.record("no preview asked for"); return }
        #expect(first.chunkID == 11 && first.chunkLines == 3...4)
        driver.press(.tab, .down)
        #expect(driver.state.focus == .results && driver.state.selection == 1)
        guard case .loadPreview(let second)? = driver.effects.last else { Issue.record("no preview asked for"); return }
        #expect(second.chunkID == 12 && second.path == "/home/ann/notes/geo/nile.md")
        driver.send(.previewLoaded(Preview(chunkID: 12, path: second.path, firstLine: 5,
                                           lines: ["# Nile", "", "Rivers of Africa.", "The Nile delta is fertile.", "Cotton grows there."],
                                           chunkLines: 8...8)))
        // The list row of result 2 is selected (reverse) and the preview shows file lines 5–9 with line 8 marked.
        #expect(driver.screen[4, 0].character == "▌" && driver.screen[4, 5].style.contains(.reverse))
        let lines = driver.lines
        let title = driver.row(containing: "─ geo/nile.md  lines 8–8")!
        // Two rows of context above the chunk, then the chunk's line marked, then what follows.
        #expect(lines[title + 1].hasPrefix("  6   ") && lines[title + 1].dropFirst(6).allSatisfy { $0 == " " })
        #expect(lines[title + 2].hasPrefix("  7   Rivers of Africa."))
        #expect(lines[title + 3].hasPrefix("  8 ▌ The Nile delta is fertile."))
        #expect(lines[title + 4].hasPrefix("  9   Cotton grows there."))
        // A preview for another chunk than the selected one is ignored.
        driver.send(.previewLoaded(Preview(chunkID: 11, path: "x", firstLine: 1, lines: ["stale"], chunkLines: 1...1)))
        #expect(driver.state.preview?.chunkID == 12)
        driver.press(.down, .down, .down)
        #expect(driver.state.selection == 2)
        driver.press(.up, .home)
        #expect(driver.state.selection == 0)
        // Typing goes back to the query, and Enter opens the snippet's line in the editor.
        driver.type("s")
        #expect(driver.state.focus == .query && driver.state.query == "deltas")
        driver.answer(riverResults)
        driver.press(.control("n"), .enter)
        #expect(driver.effects.last == .openEditor(path: "/home/ann/notes/geo/nile.md", line: 8))
        #expect(driver.state.history.entries.last == "deltas")
    }

    @Test func aStaleAnswerNeverReplacesANewerOne() {
        var driver = Driver()
        driver.type("de")
        let older = driver.lastSearch!
        driver.type("lta")
        let newer = driver.lastSearch!
        driver.send(.answered(SearchAnswer(generation: newer.generation, query: newer.query, cell: MatryoshkaCell(layer: 6, dim: 384),
                                           results: riverResults)))
        driver.send(.answered(SearchAnswer(generation: older.generation, query: older.query, cell: MatryoshkaCell(layer: 6, dim: 384),
                                           results: [riverResults[2]])))
        #expect(driver.state.answer?.query == "delta" && driver.state.results.count == 3)
        // An older answer arriving first is shown until the newer one comes.
        driver.type("s")
        let pending = driver.lastSearch!
        driver.send(.answered(SearchAnswer(generation: pending.generation - 1, query: "x", cell: MatryoshkaCell(layer: 6, dim: 384))))
        #expect(driver.state.answer?.query == "delta")
    }

    @Test func shiftArrowsStepTheLayerAndDimAndSearchThatCell() {
        var driver = Driver()
        driver.type("delta")
        driver.press(.shiftUp)
        #expect(driver.state.cell == MatryoshkaCell(layer: 5, dim: 384))
        #expect(driver.lastSearch.map { ($0.layer, $0.dim, $0.calibrated) } ?? (0, 0, false) == (5, 384, true))
        driver.press(.shiftLeft, .shiftLeft)
        #expect(driver.lastSearch.map { ($0.layer, $0.dim) } ?? (0, 0) == (5, 128))
        driver.answer(riverResults)
        var status = driver.lines[23]
        #expect(status.contains("L5/6") && status.contains("d128/384") && status.contains("calibrated"))
        #expect(driver.lines[0].hasSuffix("L5/d128"))
        driver.press(.function(6), .function(6), .function(8), .function(8), .function(8))
        #expect(driver.state.cell == MatryoshkaCell(layer: 6, dim: 384))  // clamped at the full model
        driver.press(.control("r"), .shiftUp)
        #expect(driver.lastSearch?.calibrated == false)
        driver.answer(riverResults)
        status = driver.lines[23]
        #expect(status.contains("raw"))
        for _ in 0..<10 { driver.press(.shiftUp, .shiftLeft) }
        #expect(driver.state.cell == MatryoshkaCell(layer: 1, dim: 32))
    }

    @Test func compareGridShowsOverlapLatencyAndRankChanges() {
        var driver = Driver()
        driver.type("delta")
        driver.press(.shiftUp, .shiftLeft)  // L5/d256
        driver.press(.control("g"))
        #expect(driver.state.mode == .compare)
        guard let request = driver.lastCompare else { Issue.record("no compare asked for"); return }
        #expect(request.layers == [1, 2, 3, 4, 5, 6] && request.dims == [32, 64, 128, 256, 384]
            && request.reference == MatryoshkaCell(layer: 6, dim: 384) && request.query == "delta")
        // The full model ranks 11, 12, 13; L5/d256 ranks 12, 11, 99; L1/d32 only 99.
        let full = riverResults
        let cell = [result(1, id: 12, path: "/home/ann/notes/geo/nile.md", line: 8, text: "Nile"),
                    result(2, id: 11, path: "/home/ann/notes/geo/rhine.md", line: 3, text: "Rhine"),
                    result(3, id: 99, path: "/home/ann/notes/other.md", text: "Other")]
        let small = [result(1, id: 99, path: "/home/ann/notes/other.md", text: "Other")]
        var grid = CompareGrid(generation: request.generation, query: "delta", reference: request.reference, embedMilliseconds: 9.5)
        grid.entries[request.reference] = .init(results: full, milliseconds: 2.0, calibrated: false)
        grid.entries[MatryoshkaCell(layer: 5, dim: 256)] = .init(results: cell, milliseconds: 0.8, calibrated: true)
        grid.entries[MatryoshkaCell(layer: 1, dim: 32)] = .init(results: small, milliseconds: 0.3, calibrated: true)
        driver.send(.compared(grid))
        let lines = driver.lines
        #expect(lines[2].contains("d32") && lines[2].contains("d384"))
        #expect(lines[3].hasPrefix("L1*") && lines[3].contains("0/3 0.3ms"))
        #expect(lines[7].hasPrefix("L5*") && lines[7].contains("2/3 0.8ms"))
        #expect(lines[8].hasPrefix("L6 ") && lines[8].contains("3/3 2.0ms"))
        #expect(lines[4].contains("·"))  // not searched yet
        // Heatmap: full overlap green, none red; the cursor (L5/d256) drawn reversed.
        let screen = driver.screen
        func column(of text: String, in row: Int) -> Int { DisplayWidth.of(String(lines[row][..<lines[row].range(of: text)!.lowerBound])) }
        #expect(screen[8, column(of: "3/3", in: 8)].pen.background == .green && screen[3, column(of: "0/3", in: 3)].pen.background == .red)
        #expect(screen[7, column(of: "2/3", in: 7)].style.contains(.reverse) && !screen[8, column(of: "3/3", in: 8)].style.contains(.reverse))
        // The cursor cell's ranking beside the full model's, with rank changes.
        let title = driver.row(containing: "L5/d256 calibrated: 2/3 shared, 0.80 ms")!
        #expect(lines[title].contains("L6/d384 (full model)"))
        // What the cell costs: its prefix of 5-bit codes, 256 × 5 / 8 bytes, against fp16's.
        #expect(lines[title - 1].hasPrefix("vectors compact: L5/d256 184 B a chunk, L6/d384 384 B (fp16: 512 B, 768 B)"))
        #expect(lines[title + 1].hasPrefix(" 1 ↑1  geo/nile.md:8") && lines[title + 1].contains("│ 1 ✓   geo/rhine.md:3"))
        #expect(lines[title + 2].hasPrefix(" 2 ↓1  geo/rhine.md:3"))
        #expect(lines[title + 3].hasPrefix(" 3 new other.md:1") && lines[title + 3].contains("3 ✗   /srv/shared/bread.md:1"))
        // Arrows move the cursor; the rankings follow; Enter searches that cell in the results view.
        driver.press(.up, .up, .up, .up, .left, .left, .left)
        #expect(driver.state.gridCursorCell == MatryoshkaCell(layer: 1, dim: 32))
        #expect(driver.row(containing: "L1/d32 calibrated: 0/3 shared, 0.30 ms") != nil)
        #expect(driver.row(containing: "vectors compact: L1/d32 32 B a chunk, L6/d384 384 B") != nil)
        // On the full model itself, its cost once.
        driver.press(.down, .down, .down, .down, .down, .right, .right, .right, .right)
        #expect(driver.state.gridCursorCell == MatryoshkaCell(layer: 6, dim: 384))
        #expect(driver.row(containing: "vectors compact: L6/d384 384 B a chunk (fp16: 768 B)") != nil)
        driver.press(.up, .up, .up, .up, .up, .left, .left, .left, .left)
        driver.press(.enter)
        #expect(driver.state.mode == .results && driver.lastSearch.map { ($0.layer, $0.dim) } ?? (0, 0) == (1, 32))
        // Typing in the compare view re-runs the grid for the new query.
        driver.press(.control("g"))
        driver.type("s")
        #expect(driver.lastCompare?.query == "deltas" && driver.state.grid?.query == "delta")
        driver.send(.compared(grid))  // the old grid's answer arrives late: not shown as the new one
        #expect(driver.state.grid?.generation == grid.generation && driver.state.isSearching)
    }

    @Test func resizingBelowTheMinimumShowsAMessageAndBackRestoresTheLayout() {
        var driver = Driver()
        driver.type("delta")
        driver.answer(riverResults)
        let before = driver.lines
        driver.send(.resize(rows: 10, columns: 40))
        let small = driver.lines
        #expect(small.count == 10 && small.allSatisfy { DisplayWidth.of($0) == 40 })
        #expect(small.contains { $0.contains("Terminal too small: 40×10.") })
        #expect(small.contains { $0.contains("needs at least 80×24") })
        driver.send(.resize(rows: 24, columns: 80))
        #expect(driver.lines == before)
        // A wide screen puts the preview beside the list.
        driver.send(.resize(rows: 30, columns: 160))
        let wide = driver.lines
        #expect(wide[2].contains("geo/rhine.md:3") && wide[2].contains("│─ geo/rhine.md  lines 3–4"))
    }

    @Test func aCJKPathIsDrawnAtItsDisplayWidth() {
        var driver = Driver()
        driver.type("東京")
        driver.answer([result(1, id: 1, path: "/home/ann/notes/日記/東京メモ.md", line: 4, heading: "東京 › 天気", text: "東京は晴れ 🙂", score: 0.8)])
        let screen = driver.screen
        let row = screen.line(2)
        #expect(row.contains("日記/東京メモ.md:4  東京 › 天気"))
        // Each line fills exactly 80 columns, wide characters counted twice.
        #expect((0..<screen.rows).allSatisfy { DisplayWidth.of(screen.line($0)) == 80 })
        let start = DisplayWidth.of(String(row[..<row.range(of: "日記")!.lowerBound]))
        #expect(screen[2, start].character == "日" && screen[2, start + 1].character == nil && screen[2, start + 2].character == "記")
        // The query cursor sits after two wide characters.
        #expect(screen.cursor == ScreenBuffer.Position(row: 0, column: 2 + 4))
    }

    @Test func historyRecallsEarlierQueriesAndGivesBackTheDraft() {
        var driver = Driver(history: ["bread recipe", "river delta"])
        driver.type("dra")
        driver.press(.up)
        #expect(driver.state.query == "river delta" && driver.lastSearch?.query == "river delta")
        driver.press(.up, .up)
        #expect(driver.state.query == "bread recipe")
        driver.press(.down, .down)
        #expect(driver.state.query == "dra")
    }

    @Test func escapeAndCtrlCQuitButQIsALetterAndQuestionMarkTypesInAQuery() {
        var driver = Driver()
        driver.type("q?")
        #expect(driver.state.query == "q?" && !driver.state.showingHelp)
        #expect(driver.send(.key(.escape)) == [.quit])
        var other = Driver()
        #expect(other.send(.key(.control("c"))) == [.quit])
        other.type("?")
        #expect(other.state.showingHelp && other.state.query.isEmpty)
        #expect(other.lines.contains { $0.contains("semsearch keys") } && other.lines.contains { $0.contains("Ctrl-G (F2)") })
        other.type("x")
        #expect(!other.state.showingHelp && other.state.query.isEmpty)
    }

    @Test func pickerModePrintsThePathAndLine() {
        var driver = Driver(picker: true)
        driver.type("delta")
        driver.answer(riverResults)
        #expect(driver.lines[1].contains("Enter: pick"))
        driver.press(.down, .enter)  // query focus: Down is history, so the selection stays
        #expect(driver.effects.last == .printSelection("/home/ann/notes/geo/rhine.md:3"))
    }
}
