import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing
import SemsearchMCP

/// The server in process, over pipes, on an index built with a tiny random BERT: the JSON-RPC
/// framing and the tools' plumbing, where the model's answers do not matter (the built-in model's
/// answers are checked by the `semsearch mcp` tests).
@Suite(.serialized) struct MCPServerFramingTests {
    /// An index of three notes built with a tiny BERT, and the model's folder.
    static func tinyIndex(in dir: URL) throws -> (database: String, model: String) {
        let modelDirectory = dir.appendingPathComponent("tiny-bert")
        try TinyBert().write(to: modelDirectory)
        let docs = dir.appendingPathComponent("docs")
        try TestCorpus.write(["cats.md": "# the cat\n\nthe cat sat on the mat.\n",
                              "dogs.md": "# the dogs\n\nthe dogs sat on a mat, unable to sit.\n",
                              "hello.txt": "hello world !\n"], in: docs)
        let database = dir.appendingPathComponent("index.sqlite").path
        let model = try EmbeddingModel.load(directory: modelDirectory.path)
        _ = try Indexer(store: IndexLocation.open(database, create: true), model: model, options: IndexOptions())
            .index(roots: [docs.path])
        return (database, modelDirectory.path)
    }

    /// Sends `lines` and the end of input, and returns every answer the server wrote, parsed.
    static func conversation(_ configuration: MCPConfiguration, _ lines: [String]) throws -> [JSONValue] {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw POSIXError(.EMFILE) }
        let server = MCPServer(configuration: configuration, output: output[1], log: { _ in }, onWriteFailure: { _ in })
        let text = Array(lines.map { $0 + "\n" }.joined().utf8)
        _ = text.withUnsafeBytes { write(input[1], $0.baseAddress!, $0.count) }
        close(input[1])
        server.serve(input: input[0])
        close(input[0])
        close(output[1])
        var data = Data(), chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(output[0], &chunk, chunk.count)
            guard count > 0 else { break }
            data.append(contentsOf: chunk[0..<count])
        }
        close(output[0])
        return data.split(separator: UInt8(ascii: "\n")).compactMap { JSONValue.parse(Data($0)) }
    }

    static func answer(_ answers: [JSONValue], id: Int) -> JSONValue? { answers.first { $0["id"] == .int(id) } }

    @Test func handshakeToolsSearchAndErrorsOverOnePipe() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, model) = try Self.tinyIndex(in: dir)
        var configuration = MCPConfiguration(databasePath: database, model: model)
        configuration.allowRead = true
        let answers = try Self.conversation(configuration, [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"the cat sat","limit":"2"}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"no/such/method"}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"search","arguments":{"qurey":"cat"}}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"status","arguments":{}}}"#,
            #"{this is not json"#,
        ])
        // One answer per request; none for the notification.
        #expect(answers.count == 7)
        #expect(Self.answer(answers, id: 1)?["result"]?["protocolVersion"] == "2025-06-18")
        let tools = Self.answer(answers, id: 2)?["result"]?["tools"]
        guard case .array(let list)? = tools else { Issue.record("tools/list has no tools"); return }
        #expect(Set(list.compactMap { $0["name"]?.stringValue }) == ["search", "status", "read"], "read is offered when allowed, refresh is not")

        let search = Self.answer(answers, id: 3)?["result"]
        #expect(search?["isError"] != .bool(true))
        guard case .array(let results)? = search?["structuredContent"]?["results"] else { Issue.record("no results"); return }
        #expect(results.count == 2, "limit given as a string is read as a number")
        #expect(results.allSatisfy { ($0["path"]?.stringValue ?? "").hasPrefix(dir.path) })
        #expect(search?["structuredContent"]?["next_cursor"]?.stringValue != nil, "a third note is left for the next page")

        #expect(Self.answer(answers, id: 4)?["error"]?["code"] == .int(-32601))
        let refused = Self.answer(answers, id: 5)?["result"]
        #expect(refused?["isError"] == .bool(true), "a bad argument is a tool error the model reads, not a protocol error")
        #expect(refused.map { $0.text.contains("qurey") } == true)
        #expect(Self.answer(answers, id: 6)?["result"]?["structuredContent"]?["files"] == .int(3))
        #expect(answers.contains { $0["id"] == .null && $0["error"]?["code"] == .int(-32700) }, "a line that is not JSON gets a parse error")
    }
}
