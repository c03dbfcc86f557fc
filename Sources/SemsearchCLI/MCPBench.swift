import ArgumentParser
import Foundation
import SemsearchBench
import SemsearchKit
import SemsearchMCP

extension Bench {
    struct MCPBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Measure 'semsearch mcp' as an agent sees it: first answer after start, then each search.",
            discussion: """
            Starts the server --runs times; each time it times process start → handshake → the first \
            search answer (the model and vectors load meanwhile), then --queries further searches \
            (the first words of evenly spread chunks), each from request written to answer read.
            """
        )

        @Option(help: "Server starts to time.")
        var runs = 5

        @Option(help: "Searches timed after the first, per run.")
        var queries = 50

        @Flag(help: "Print one JSON line.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if runs < 1 { throw ValidationError("--runs must be at least 1") }
            if queries < 1 { throw ValidationError("--queries must be at least 1") }
        }

        func run() throws {
            let searcher = try Searcher.open(database: database.path)
            let texts = try SearchBench.queryTexts(database: database.path, from: try searcher.flatIndex(searcher.cell(layer: nil, dim: nil)), count: queries)
            guard !texts.isEmpty else { throw CommandError.input("the index holds no chunk text to make queries from") }
            var firstAnswers: [Double] = [], searches: [Double] = []
            var listBytes = 0
            for run in 0..<runs {
                let started = ResourceUsage.now()
                let client = try MCPStdioClient(executable: MCP.executablePath, arguments: ["mcp", "--db", database.path])
                try client.request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                  "clientInfo": ["name": "semsearch-bench", "version": "1"]])
                try client.notify("notifications/initialized")
                listBytes = try client.request("tools/list").bytes
                try client.request("tools/call", ["name": "search", "arguments": ["query": .string(texts[run % texts.count])]])
                firstAnswers.append((ResourceUsage.now() - started) * 1000)
                for text in texts {
                    let sent = ResourceUsage.now()
                    try client.request("tools/call", ["name": "search", "arguments": ["query": .string(text)]])
                    searches.append((ResourceUsage.now() - sent) * 1000)
                }
                guard client.finish() == 0 else { throw CommandError.input("'semsearch mcp' exited with an error") }
            }
            let first = LatencySummary(milliseconds: firstAnswers), later = LatencySummary(milliseconds: searches)
            if json {
                print(JSONOutput.line(MCPBenchmarkRecord(files: try IndexLocation.open(database.path, create: false).statistics().files, runs: runs, queries: searches.count,
                                                         firstAnswer: first, search: later, toolsListBytes: listBytes)))
            } else {
                print("\(runs) server starts on \(try IndexLocation.open(database.path, create: false).statistics().files) files; tools/list \(listBytes) bytes")
                print(String(format: "start → first search answer: p50 %.1f ms, max %.1f ms   (target ≤ 1000 ms: %@)",
                             first.p50Milliseconds, first.maxMilliseconds, first.maxMilliseconds <= 1000 ? "met" : "missed"))
                print(String(format: "later searches (%d): p50 %.1f ms, p99 %.1f ms   (target ≤ 50 ms: %@)", searches.count,
                             later.p50Milliseconds, later.p99Milliseconds, later.p99Milliseconds <= 50 ? "met" : "missed"))
            }
        }
    }
}
