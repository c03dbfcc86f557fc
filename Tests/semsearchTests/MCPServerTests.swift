import Foundation
import Testing

/// `semsearch mcp` driven over stdio as MCP clients drive it: raw JSON-RPC lines in, every stdout
/// line checked to be one JSON-RPC message.
@Suite(.serialized) struct MCPServerTests {
    typealias Fixture = SearchCommandTests.Fixture
    typealias Failure = MCPConversation.Failure

    /// The `initialize` Codex 0.154 sends, with an object under `capabilities.experimental`.
    static let codexInitialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"experimental":{"codex/auth-change":{}}},"clientInfo":{"name":"codex-mcp-client","title":"Codex","version":"0.154.0-alpha.6.2"}}}"#
    /// The 2026 stateless probe a dual-era client sends first.
    static let discoverProbe = #"{"jsonrpc":"2.0","id":0,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#

    /// Starts a server and goes through the handshake.
    static func start(_ f: Fixture, _ extra: [String] = []) throws -> MCPConversation {
        let server = try MCPConversation(["--db", f.db] + extra)
        server.write(codexInitialize + "\n" + #"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\n")
        _ = try server.answer(1)
        return server
    }

    static func structured(_ result: [String: Any]) throws -> [String: Any] {
        guard result["isError"] as? Bool == false, let value = result["structuredContent"] as? [String: Any] else {
            throw Failure("not a successful tool result: \(result)")
        }
        return value
    }

    static func errorText(_ result: [String: Any]) -> String? {
        guard result["isError"] as? Bool == true, result["structuredContent"] == nil else { return nil }
        return ((result["content"] as? [[String: Any]])?.first?["text"] as? String)
    }

    /// A slide deck's result says which slides it is on (this short deck is one chunk of its four);
    /// a Markdown file's has no location.
    @Test func searchResultsInADocumentCarryItsLocation() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let deck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SemsearchKitTests/Fixtures/documents/deck.pptx")
        try FileManager.default.copyItem(at: deck, to: f.docs.appendingPathComponent("deck.pptx"))
        let indexed = try CommandLineRunner.run(["index", "--quiet", "--db", f.db, f.docs.path])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let server = try Self.start(f)
        let deckHit = try #require((try Self.structured(try server.call(2, "search", ["query": "the last lock on the Upper Rhine", "limit": 1]))["results"]
                                    as? [[String: Any]])?.first)
        #expect((deckHit["path"] as? String)?.hasSuffix("/deck.pptx") == true && deckHit["location"] as? String == "slides 1–4", "\(deckHit)")
        let breadHit = try #require((try Self.structured(try server.call(3, "search", ["query": "sourdough bread", "limit": 1]))["results"]
                                     as? [[String: Any]])?.first)
        #expect((breadHit["path"] as? String)?.hasSuffix("/bread.md") == true && breadHit["location"] == nil, "\(breadHit)")
    }

    @Test func aCodexHandshakeListsToolsSearchesAndShutsDownOnEOF() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try MCPConversation(["--db", f.db])
        let started = Date()
        server.write(Self.discoverProbe + "\n")
        // Answered before any initialize, without loading anything (a client's probe waits 10 s at
        // most; the bound here leaves room for a loaded CI machine starting the process).
        let probe = try server.answer(0, timeout: 10)
        #expect((probe["error"] as? [String: Any])?["code"] as? Int == -32601, "the probe gets an error at once")
        #expect(Date().timeIntervalSince(started) < 5)

        server.write(Self.codexInitialize + "\n")
        let initialized = try #require(try server.answer(1)["result"] as? [String: Any])
        #expect(initialized["protocolVersion"] as? String == "2025-06-18")
        #expect((initialized["capabilities"] as? [String: Any])?["tools"] != nil)
        let instructions = try #require(initialized["instructions"] as? String)
        #expect(instructions.contains("5 files under \(f.docs.path)") && instructions.count <= 2048)
        server.write(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\n")

        let list = try server.request(2, "tools/list")
        let tools = try #require((list["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        #expect(tools.map { $0["name"] as? String } == ["search", "status"])
        for tool in tools {
            let schema = try #require(tool["inputSchema"] as? [String: Any])
            #expect(schema["type"] as? String == "object" && schema["additionalProperties"] as? Bool == false)
            #expect((tool["outputSchema"] as? [String: Any])?["type"] as? String == "object")
            #expect(!(tool["description"] as? String ?? "").isEmpty && !(tool["title"] as? String ?? "").isEmpty)
        }
        let listLine = try #require(server.rawLines.first { $0.contains("\"tools\":[") })
        #expect(listLine.utf8.count < 2048, "tools/list costs every turn's context: \(listLine.utf8.count) bytes")

        // "3" arrives as a string, as some clients send numbers; the answer equals the CLI's.
        let query = "which river flows to the north sea"
        let found = try Self.structured(try server.call(3, "search", ["query": query, "limit": "3"]))
        let results = try #require(found["results"] as? [[String: Any]])
        #expect(results.count == 3 && (results[0]["path"] as? String)?.hasSuffix("rivers.md") == true)
        let cli = try CommandLineRunner.jsonObjects(try CommandLineRunner.run(["search", "--db", f.db, "--json", "-k", "3", query]))
        for (mcp, line) in zip(results, cli) {
            for key in ["rank", "line_start", "line_end"] { #expect(mcp[key] as? Int == line[key] as? Int, "\(key)") }
            #expect(mcp["path"] as? String == line["path"] as? String)
        }
        #expect(results.allSatisfy { ($0["path"] as? String)?.hasPrefix("/") == true && $0["stale"] == nil })
        #expect((results[0]["lines"] as? String)?.hasPrefix("The Rhine flows from the Swiss Alps to the North Sea.") == true)
        // The text block carries the same facts as the structured content.
        let content = try #require(try server.call(4, "search", ["query": query, "limit": 3])["content"] as? [[String: Any]])
        let text = try #require(content.first?["text"] as? String)
        let reparsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((reparsed["results"] as? [[String: Any]])?.count == 3 && !text.contains("\\/"))

        #expect((try server.request(5, "ping")["result"] as? [String: Any])?.isEmpty == true)
        let status = try Self.structured(try server.call(6, "status"))
        #expect(status["files"] as? Int == 5 && status["changed_files"] as? Int == 0 && status["index"] as? String == f.db)
        #expect(status["indexing"] as? Bool == false && status["watching"] as? Bool == false)
        #expect(status["model"] as? String == "all-MiniLM-L6-v2")

        // Every line on stdout is one JSON-RPC 2.0 message.
        let messages = try server.messages()
        #expect(messages.count == 7 && messages.allSatisfy { $0["jsonrpc"] as? String == "2.0" })
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func badInputGetsErrorsAndTheServerGoesOn() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try Self.start(f)
        server.write("{not json\n")
        server.write(#"[{"jsonrpc":"2.0","id":50,"method":"ping"}]"# + "\n")
        server.write(#"{"jsonrpc":"2.0","id":51}"# + "\n")
        #expect(try server.request(52, "resources/list")["error"].map { ($0 as? [String: Any])?["code"] as? Int } == -32601)
        let errors = try server.messages().compactMap { $0["error"] as? [String: Any] }.map { $0["code"] as? Int }
        #expect(errors == [-32700, -32600, -32600, -32601])

        #expect(Self.errorText(try server.call(2, "grep", [:]))?.contains("no tool 'grep'") == true)
        #expect(Self.errorText(try server.call(3, "search", ["query": "x", "color": "red"]))?.contains("unknown argument 'color'") == true)
        #expect(Self.errorText(try server.call(4, "search", ["limit": 3]))?.contains("'query' is required") == true)
        #expect(Self.errorText(try server.call(5, "search", ["query": "x", "limit": 0]))?.contains("'limit' must be between 1 and 50") == true)
        #expect(Self.errorText(try server.call(6, "search", ["query": "x", "hybrid": "maybe"]))?.contains("'hybrid' must be true or false") == true)
        let long = String(repeating: "long ", count: 3500)
        #expect(Self.errorText(try server.call(7, "search", ["query": long]))?.contains("the limit is 16384") == true)
        #expect(Self.errorText(try server.call(8, "search", ["query": "x", "layer": 9]))?.isEmpty == false)
        #expect(Self.errorText(try server.call(9, "search", ["query": "x", "cursor": "forged"]))?.contains("not one this server made") == true)
        // Still answering, with paths as one glob string or a list.
        let filtered = try Self.structured(try server.call(10, "search", ["query": "bread", "paths": "kitchen/*"]))
        let paths = try #require(filtered["results"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(!paths.isEmpty && paths.allSatisfy { $0.contains("/kitchen/") })
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func pagesFollowOneRankingAndACursorFromAnOlderIndexIsRefused() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try Self.start(f)
        for hybrid in [false, true] {
            let whole = try Self.structured(try server.call(2, "search", ["query": "sea", "limit": 4, "hybrid": hybrid]))
            let first = try Self.structured(try server.call(3, "search", ["query": "sea", "limit": 2, "hybrid": hybrid]))
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try Self.structured(try server.call(4, "search", ["query": "sea", "limit": 2, "hybrid": hybrid, "cursor": cursor]))
            let paged = ((first["results"] as? [[String: Any]]) ?? []) + ((second["results"] as? [[String: Any]]) ?? [])
            let all = try #require(whole["results"] as? [[String: Any]])
            #expect(paged.map { $0["rank"] as? Int } == [1, 2, 3, 4])
            #expect(paged.map { $0["path"] as? String } == all.map { $0["path"] as? String })
            #expect(Self.errorText(try server.call(5, "search", ["query": "lake", "limit": 2, "hybrid": hybrid, "cursor": cursor]))?
                .contains("belongs to another query") == true)
        }
        let first = try Self.structured(try server.call(6, "search", ["query": "sea", "limit": 2]))
        let cursor = try #require(first["next_cursor"] as? String)
        #expect(try CommandLineRunner.run(["index", "--quiet", "--db", f.db, f.docs.path]).status == 0)
        #expect(Self.errorText(try server.call(7, "search", ["query": "sea", "limit": 2, "cursor": cursor]))?.contains("the index changed") == true)
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func aCapSmallerThanTheResultsTruncatesThemIntoPages() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try Self.start(f, ["--max-result-bytes", "1024"])
        let capped = try Self.structured(try server.call(2, "search", ["query": "water", "limit": 5, "detail": "chunks"]))
        let text = try #require((try server.call(3, "search", ["query": "water", "limit": 5, "detail": "chunks"])["content"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(capped["truncated"] as? Bool == true && capped["next_cursor"] is String)
        #expect(text.utf8.count <= 1024)
        let shown = try #require(capped["results"] as? [[String: Any]]).count
        let rest = try Self.structured(try server.call(4, "search", ["query": "water", "limit": 5, "detail": "chunks", "cursor": capped["next_cursor"]!]))
        #expect((rest["results"] as? [[String: Any]])?.first?["rank"] as? Int == shown + 1)
    }

    @Test func aCancelledCallIsNotAnsweredAndLaterCallsAre() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try MCPConversation(["--db", f.db])
        // The search waits for the model to load; its cancellation arrives first.
        server.write(Self.codexInitialize + "\n"
            + #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search","arguments":{"query":"bread"}}}"# + "\n"
            + #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}"# + "\n")
        #expect(try server.request(8, "ping")["result"] != nil)
        let later = try Self.structured(try server.call(9, "search", ["query": "bread"]))
        #expect((later["results"] as? [[String: Any]])?.isEmpty == false)
        #expect(try server.messages().allSatisfy { ($0["id"] as? Int) != 7 }, "a cancelled request gets no response")
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func aLongLivedServerSeesEditsAsStaleAndAReindexAsNew() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let server = try Self.start(f)
        let before = try Self.structured(try server.call(2, "search", ["query": "Elbe river Hamburg", "limit": 1]))
        #expect((before["results"] as? [[String: Any]])?.first?["stale"] == nil)
        let rivers = f.docs.appendingPathComponent("rivers.md")
        let handle = try FileHandle(forWritingTo: rivers)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n## Elbe\n\nThe Elbe passes Hamburg before it reaches the North Sea.\n".utf8))
        try handle.close()
        let edited = try Self.structured(try server.call(3, "search", ["query": "which river flows to the north sea", "limit": 1]))
        #expect((edited["results"] as? [[String: Any]])?.first?["stale"] as? Bool == true)
        #expect(try Self.structured(try server.call(4, "status"))["changed_files"] as? Int == 1)
        // Another process re-indexes; the running server answers from the new index.
        #expect(try CommandLineRunner.run(["index", "--quiet", "--db", f.db, f.docs.path]).status == 0)
        let after = try Self.structured(try server.call(5, "search", ["query": "Elbe river Hamburg", "limit": 1]))
        let top = try #require((after["results"] as? [[String: Any]])?.first)
        #expect((top["lines"] as? String)?.contains("The Elbe passes Hamburg") == true && top["stale"] == nil)
        // The index file goes away: a clear error, not a crash or a hang.
        try FileManager.default.removeItem(atPath: f.db)
        #expect(Self.errorText(try server.call(6, "search", ["query": "bread"]))?.contains("no index at \(f.db)") == true)
        #expect(Self.errorText(try server.call(7, "status"))?.contains("no index at \(f.db)") == true)
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func aMissingIndexStillShakesHandsAndSaysWhereItLooked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-none-\(UUID().uuidString).sqlite").path
        let server = try MCPConversation(["--db", path])
        server.write(Self.codexInitialize + "\n")
        #expect(try server.answer(1)["result"] != nil)
        #expect(Self.errorText(try server.call(2, "search", ["query": "anything"]))?.contains(path) == true)
        #expect(Self.errorText(try server.call(3, "status"))?.contains(path) == true)
        server.closeInput()
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test func aClientThatStopsReadingEndsTheServerAndSIGTERMEndsItAtOnce() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let stuck = try MCPConversation(["--db", f.db, "--write-timeout", "1"], readOutput: false)
        var burst = Self.codexInitialize + "\n"
        for id in 2..<400 {
            burst += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"search","arguments":{"query":"water \#(id)","limit":50,"detail":"chunks"}}}"# + "\n"
        }
        let lines = burst
        DispatchQueue.global().async { stuck.write(lines) }
        #expect(stuck.exitStatus(within: 60) == 0, "the server gave up on a client that reads nothing")
        #expect(stuck.stderr.contains("read nothing") || stuck.stderr.isEmpty == false)

        let server = try Self.start(f)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.exitStatus(within: 2) == 0)
    }

    @Test(.enabled(if: TUICommandTests.Tmux.executable != nil, "tmux is not installed (.ci/run installs it)"))
    func onATerminalItSaysWhatItIsInsteadOfWaiting() throws {
        let tmux = TUICommandTests.Tmux()
        defer { tmux.kill() }
        try tmux.run(["new-session", "-d", "-s", "ui", "-x", "160", "-y", "20", "/bin/sh"])
        try tmux.run(["send-keys", "-t", "ui", "\(CommandLineRunner.executable.path) mcp --db /nonexistent/x.sqlite; echo exit=$?", "Enter"])
        let screen = try tmux.waitFor("exit=2")
        #expect(screen.contains("semsearch mcp is a Model Context Protocol server"), "\(screen)")
        #expect(screen.contains("exit=2"))
    }

    /// The official MCP Python SDK (PyPI `mcp`), which `.ci/run` installs in a virtual environment.
    static let pythonClient = ProcessInfo.processInfo.environment["SEMSEARCH_MCP_PYTHON"]

    @Test(.enabled(if: pythonClient != nil, "SEMSEARCH_MCP_PYTHON is not set (.ci/run installs the mcp package from PyPI)"))
    func theOfficialPythonClientProbesFallsBackAndValidatesResults() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Clients/mcp_python_client.py").path
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: try #require(Self.pythonClient))
        process.arguments = [script, CommandLineRunner.executable.path, f.db]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(transcript)")
        #expect(transcript.contains("search: \(f.docs.path)/rivers.md") && transcript.hasSuffix("closed cleanly\n"), "\(transcript)")
    }
}
