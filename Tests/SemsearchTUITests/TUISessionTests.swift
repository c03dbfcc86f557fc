import Foundation
import SemsearchKit
import SemsearchTestSupport
import SemsearchTUI
import Synchronization
import Testing

/// The session over a real index built with the built-in model: keys in, searches run on the
/// worker, answers come back, and the rendered screen shows them.
@Suite(.serialized) struct TUISessionTests {
    init() { _ = TestLocale.ready }

    static let model = TestSupport.model

    /// Four notes, one under a CJK folder name.
    func makeSearcher(_ dir: URL) throws -> Searcher {
        let docs = dir.appendingPathComponent("docs")
        let files = [
            "cooking/bread.md": "# Bread\n\nKnead the sourdough, let it rise overnight, then bake it in a hot oven.\n",
            "cooking/soup.md": "# Soup\n\nSimmer onions and carrots in stock for an hour.\n",
            "旅行/rhine.md": "# Rhine\n\nThe Rhine flows from the Swiss Alps to the North Sea through Germany.\n",
            "旅行/codes.txt": "Error codes\n\nThe service answers ERR-7731-QX when the disk quota is exceeded.\n",
        ]
        try TestCorpus.write(files, in: docs)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        _ = try Indexer(store: store, model: Self.model, options: IndexOptions()).index(roots: [docs.path])
        return try Searcher(store: store, model: Self.model)
    }

    /// The screen's summary of the index `makeSearcher` built in `dir`.
    func overview(_ dir: URL, _ searcher: Searcher, workingDirectory: String) throws -> IndexOverview {
        let store = try IndexLocation.open(dir.appendingPathComponent("index.sqlite").path, create: false)
        return IndexOverview(status: try IndexStatus(store: store, detail: .summary), searcher: searcher, workingDirectory: workingDirectory,
                             homeDirectory: "/nonexistent")
    }

    /// A converted document's preview shows its extracted text, whose lines the chunk's lines
    /// count, not the container's bytes.
    @Test func aDocumentsPreviewShowsItsExtractedText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SemsearchKitTests/Fixtures/documents")
        for name in ["article.docx", "article.rtf"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: docs.appendingPathComponent(name))
        }
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        _ = try Indexer(store: store, model: Self.model, options: IndexOptions()).index(roots: [docs.path])
        let searcher = try Searcher(store: store, model: Self.model)
        let summary = IndexOverview(status: try IndexStatus(store: store, detail: .summary), searcher: searcher, workingDirectory: docs.path,
                                    homeDirectory: "/nonexistent")
        let session = try TUISession(searcher: searcher, state: TUIState(summary: summary))
        for character in "which cities does the river pass" { session.handle(.key(.character(character))) }
        #expect(session.waitUntil(timeout: 30) { $0.answer?.generation == $0.generation && $0.preview != nil })
        for _ in 0..<2 {
            let preview = try #require(session.state.preview)
            #expect(preview.note == nil, "\(preview.note ?? "")")
            #expect(preview.lines.contains("- Strasbourg") && preview.lines.contains("City | Country"), "\(preview.lines)")
            #expect(!preview.lines.contains { $0.contains("\\") || $0.contains("<w:") || $0.hasPrefix("PK") }, "\(preview.lines)")
            session.handle(.key(.down))
            _ = session.waitUntil(timeout: 10) { $0.preview?.chunkID == $0.answer?.results[1].chunk.id }
        }
    }

    @Test func typedKeysSearchOnTheWorkerAndTheScreenShowsTheAnswer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try makeSearcher(dir)
        let summary = try overview(dir, searcher, workingDirectory: dir.appendingPathComponent("docs").path)
        #expect(summary.layers == [1, 2, 3, 4, 5, 6] && summary.dims == [32, 64, 128, 256, 384] && summary.files == 4)
        let session = try TUISession(searcher: searcher, state: TUIState(summary: summary))
        for character in "which river runs to the north sea" { session.handle(.key(.character(character))) }
        let answered = session.waitUntil(timeout: 30) { $0.answer?.generation == $0.generation && $0.preview != nil }
        #expect(answered)
        let screen = session.render()
        #expect(screen.line(0).hasPrefix("❯ which river runs to the north sea"))
        #expect(screen.line(2).contains("旅行/rhine.md:3  # Rhine"), "top result: \(screen.line(2))")
        #expect(session.state.answer?.results.first?.chunk.path.hasSuffix("旅行/rhine.md") == true)
        // The preview shows the file's lines with the chunk's line marked.
        let lines = (0..<screen.rows).map { screen.line($0) }
        #expect(lines.contains { $0.hasPrefix("  1 ") && $0.contains("# Rhine") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("  3 ▌ The Rhine flows from the Swiss Alps") })

        // A layer and dim step searches that cell.
        session.handle(.key(.shiftUp))
        session.handle(.key(.shiftLeft))
        #expect(session.waitUntil(timeout: 30) { $0.answer?.generation == $0.generation })
        #expect(session.state.answer?.cell == MatryoshkaCell(layer: 5, dim: 256) && session.state.answer?.error == nil)

        // The compare view fills every cell, the full model overlapping itself completely.
        session.handle(.key(.control("g")))
        #expect(session.waitUntil(timeout: 60) { $0.grid?.generation == $0.generation && $0.grid?.complete == true })
        let grid = try #require(session.state.grid)
        #expect(grid.entries.count == 30 && grid.error == nil)
        let depth = grid.depth()
        #expect(depth == 4 && grid.overlap(at: summary.fullCell) == 4)
        let compare = session.render()
        #expect(compare.line(8).hasPrefix("L6 ") && compare.line(8).contains("4/4"))
        #expect((3...7).allSatisfy { compare.line($0).hasPrefix("L\($0 - 2)") })

        // Typing there re-runs the grid for the new query; the answer matches the query shown.
        for character in " in germany" { session.handle(.key(.character(character))) }
        #expect(session.waitUntil(timeout: 60) { $0.grid?.generation == $0.generation && $0.grid?.complete == true })
        #expect(session.state.grid?.query == "which river runs to the north sea in germany")
        #expect(session.handle(.key(.escape)) == [.quit])
    }

    @Test func aBadQueryShowsTheReasonInsteadOfResults() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try makeSearcher(dir)
        let summary = try overview(dir, searcher, workingDirectory: "/")
        let session = try TUISession(searcher: searcher, state: TUIState(summary: summary))
        // A pasted 17.5 KB query is refused by the searcher; the header says why.
        session.handle(.key(.text(String(repeating: "long ", count: 3500))))
        #expect(session.waitUntil(timeout: 30) { $0.answer?.generation == $0.generation })
        #expect(session.state.answer?.error?.contains("the limit is 16384") == true)
        #expect(session.render().line(1).hasPrefix("─ the query is 17500 bytes"))
    }

    @Test func latencyShownComesFromTheSessionClock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try makeSearcher(dir)
        let summary = try overview(dir, searcher, workingDirectory: "/")
        // Every reading of this clock is a quarter second after the one before.
        let clock = SteppingClock(step: 0.25)
        let session = try TUISession(searcher: searcher, state: TUIState(summary: summary), clock: clock.sessionClock)
        for character in "bread" { session.handle(.key(.character(character))) }
        #expect(session.waitUntil(timeout: 30) { $0.answer?.generation == $0.generation && $0.answer?.query == "bread" })
        #expect(session.state.answer?.milliseconds == 250)
        let screen = session.render()
        #expect((0..<screen.rows).contains { screen.line($0).contains("250.0 ms") }, "the status line shows the clock's latency")

        // Each compare cell is timed on its own, the query's embedding apart.
        session.handle(.key(.control("g")))
        #expect(session.waitUntil(timeout: 60) { $0.grid?.generation == $0.generation && $0.grid?.complete == true })
        let grid = try #require(session.state.grid)
        #expect(grid.embedMilliseconds == 250 && grid.entries.count == 30)
        #expect(grid.entries.values.allSatisfy { $0.milliseconds == 250 })
    }
}

/// A clock that moves forward by `step` seconds at each reading, whichever thread reads it.
final class SteppingClock: Sendable {
    private let time = Mutex<Double>(0)
    let step: Double

    init(step: Double) { self.step = step }

    var sessionClock: SessionClock {
        SessionClock { [self] in time.withLock { now in now += step; return now } }
    }
}
