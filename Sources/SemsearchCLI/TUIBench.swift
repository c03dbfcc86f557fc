import ArgumentParser
import Foundation
import SemsearchBench
import SemsearchKit
import SemsearchTUI

extension Bench {
    struct TUIBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Measure the interactive screen: keystroke-to-updated-results latency while typing.",
            discussion: """
            Queries (the first words of evenly spread chunks) are typed into the TUI's session one key \
            at a time at --pace; each key is timed from being handled to the rendered screen showing \
            the answer to the query including it (reducer, search thread, renderer; not the terminal \
            write). The first keystroke, which loads the cell's vectors, is reported apart. Then \
            --compare-queries are typed with the compare view open, timed to the complete layers × dims grid.
            """
        )

        @Option(help: "Queries to type.")
        var queries = 10

        @Option(help: ArgumentHelp("Milliseconds between keystrokes.", valueName: "MS"))
        var pace = 60.0

        @Option(help: "Of those, queries typed again in the compare view (0 skips).")
        var compareQueries = 2

        @OptionGroup var cell: CellOptions

        @Flag(help: "Print one JSON line.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if queries < 1 { throw ValidationError("--queries must be at least 1") }
            if pace < 0 { throw ValidationError("--pace must not be negative") }
            if compareQueries < 0 { throw ValidationError("--compare-queries must not be negative") }
        }

        func run() throws {
            let searcher = try Searcher.open(database: database.path)
            let start = try searcher.cell(layer: cell.layer, dim: cell.dim)
            let texts = try SearchBench.queryTexts(database: database.path, from: try searcher.flatIndex(start), count: queries)
            guard !texts.isEmpty else { throw CommandError.input("the index holds no chunk text to make queries from") }
            let status = try IndexStatus(store: IndexLocation.open(database.path, create: false), detail: .summary)
            var summary = IndexOverview(status: status, searcher: searcher, workingDirectory: FileManager.default.currentDirectoryPath,
                                           homeDirectory: NSHomeDirectory())
            summary.include(dim: start.dim)
            // A fresh searcher, so the first keystroke really loads the cell.
            let session = try TUISession(searcher: try Searcher.open(database: database.path), state: TUIState(summary: summary, cell: start))
            let keys = texts.reduce(0) { $0 + $1.count }
            FileHandle.standardError.write(Data("bench tui: typing \(texts.count) queries (\(keys) keys) at \(Int(pace)) ms a key on \(summary.files) files, \(summary.chunks) chunks, \(start)\n".utf8))
            let result = KeystrokeBenchmark.run(session: session, queries: texts, pace: pace / 1000, compareQueries: compareQueries)
            let typing = LatencySummary(milliseconds: result.keystrokes), search = LatencySummary(milliseconds: result.searches)
            let render = LatencySummary(milliseconds: result.renders), compare = LatencySummary(milliseconds: result.compareKeystrokes)
            if json {
                print(JSONOutput.line(KeystrokeBenchmarkRecord(result, overview: summary, cell: start, pace: pace)))
            } else {
                print("\(result.keystrokes.count) keystrokes on \(summary.files) files (\(summary.chunks) chunks) at \(start), \(result.missed) missed")
                // A query costs ~25 MFLOP a token with MiniLM and ~200 with EmbeddingGemma: each has its own target.
                let deep = searcher.model.layerCount > 12
                let met = deep ? typing.p50Milliseconds <= 100 : typing.p99Milliseconds <= 50
                print("keystroke → results on screen: \(text(typing))   (target \(deep ? "p50 ≤ 100" : "p99 ≤ 50") ms: \(met ? "met" : "missed"))")
                print("  of which embed + search:      \(text(search))")
                print("  of which render:              \(text(render))")
                print("first keystroke (loads the cell's vectors): \(f(result.firstKeystroke)) ms")
                if !result.compareKeystrokes.isEmpty || result.firstCompareKeystroke > 0 {
                    print("compare view, keystroke → all \(summary.layers.count * summary.dims.count) cells: \(text(compare)); first (loads every cell): \(f(result.firstCompareKeystroke)) ms")
                }
            }
        }

        private func f(_ value: Double) -> String { String(format: "%.2f", value) }

        private func text(_ latency: LatencySummary) -> String {
            String(format: "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                   latency.p50Milliseconds, latency.p95Milliseconds, latency.p99Milliseconds, latency.maxMilliseconds)
        }
    }
}
