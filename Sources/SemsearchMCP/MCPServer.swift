import Foundation
import SemsearchKit
import Synchronization

/// `semsearch mcp`: a Model Context Protocol server on stdio, written as a plain JSON-RPC loop.
///
/// - Reads one message a line from the input; answers `initialize`, `ping`, `tools/list` and
///   unknown methods at once on the reading thread, and runs `tools/call` on a worker queue, in
///   order, so the reader stays free to take `notifications/cancelled`.
/// - A cancelled call is not answered. A call that fails answers `isError: true` with a one-line
///   reason; malformed lines get JSON-RPC errors. Nothing but JSON-RPC is written to the output.
/// - The model and index load in the background from the moment `initialize` arrives.
/// - Ends on end of input (after the calls under way finish, at most `drainSeconds`), or when the
///   client stops reading (see ``MessageWriter``).
///
/// See docs/ARCHITECTURE.md §7.
public final class MCPServer: Sendable {
    /// Protocol revisions this server speaks (the handshake era); the newest is offered to a
    /// client asking for one it does not know.
    public static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// Longest message line accepted, in bytes.
    public static let maxLineBytes = 1 << 20
    /// Seconds the calls under way get to finish after the input ends.
    static let drainSeconds = 5.0

    private let configuration: MCPConfiguration
    private let loader: SearcherLoader
    private let writer: MessageWriter
    private let work = DispatchQueue(label: "semsearch.mcp.calls")
    private let cancelled = Mutex<Set<JSONValue>>([])
    private let log: @Sendable (String) -> Void

    /// A server answering on `output`. `log` writes a line to the log (stderr); `onWriteFailure`
    /// runs when the client stops reading.
    public init(configuration: MCPConfiguration, output: Int32, log: @escaping @Sendable (String) -> Void,
                onWriteFailure: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
        loader = SearcherLoader(databasePath: configuration.databasePath, model: configuration.model)
        writer = MessageWriter(descriptor: output, timeout: configuration.writeTimeout, onFailure: onWriteFailure)
    }

    /// Reads messages from `input` until it ends, answering each; returns once the queued answers are
    /// written (a call still running after `drainSeconds` is not waited for).
    public func serve(input: Int32) {
        var buffer = [UInt8]()
        var skipping = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(input, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                if !skipping { buffer.append(contentsOf: chunk[start..<index]); handle(line: buffer) }
                buffer.removeAll(keepingCapacity: true)
                skipping = false
                start = index + 1
            }
            if !skipping { buffer.append(contentsOf: chunk[start..<count]) }
            if buffer.count > Self.maxLineBytes {
                writer.send(JSONRPCMessage.response(id: .null, error: .invalidRequest("message longer than \(Self.maxLineBytes) bytes")))
                buffer.removeAll()
                skipping = true
            }
        }
        if !buffer.isEmpty && !skipping { handle(line: buffer) }
        // End of input: let the calls under way finish, briefly, then flush.
        let drained = DispatchSemaphore(value: 0)
        work.async { drained.signal() }
        if drained.wait(timeout: .now() + Self.drainSeconds) == .timedOut { log("input ended; not waiting longer for the call under way") }
        writer.drain()
    }

    // MARK: - Messages

    func handle(line: [UInt8]) {
        let data = Data(line)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
        let message: JSONRPCMessage
        do { message = try JSONRPCMessage.parse(data) } catch {
            log("refused a line: \(error.error.message)")
            writer.send(JSONRPCMessage.response(id: error.id, error: error.error))
            return
        }
        guard let id = message.id else { return notify(message) }
        switch message.method {
        case "initialize":
            writer.send(JSONRPCMessage.response(id: id, result: initializeResult(message.params)))
            loader.start()
        case "ping":
            writer.send(JSONRPCMessage.response(id: id, result: [:]))
        case "tools/list":
            writer.send(JSONRPCMessage.response(id: id, result: ["tools": .array(tools.map(\.json))]))
        case "tools/call":
            work.async { [self] in call(id: id, params: message.params) }
        default:
            // Includes the 2026 `server/discover` probe: an error at once tells a dual-era client to
            // fall back to `initialize`.
            writer.send(JSONRPCMessage.response(id: id, error: .methodNotFound(message.method)))
        }
    }

    private func notify(_ message: JSONRPCMessage) {
        switch message.method {
        case "notifications/initialized": loader.start()
        case "notifications/cancelled":
            if let request = message.params?["requestId"] { _ = cancelled.withLock { $0.insert(request) } }
        default: break
        }
    }

    private func initializeResult(_ params: JSONValue?) -> JSONValue {
        let asked = params?["protocolVersion"]?.stringValue
        let version = asked.flatMap { Self.protocolVersions.contains($0) ? $0 : nil } ?? Self.protocolVersions[0]
        return [
            "protocolVersion": .string(version),
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": ["name": "semsearch", "title": "semsearch: local semantic search", "version": .string(SemsearchVersion.current)],
            "instructions": .string(instructions()),
        ]
    }

    /// What the model reads about this server: what the index covers and how to use the tools.
    func instructions() -> String {
        var scope = "the index at \(IndexLocation.displayed(configuration.databasePath))"
        if let store = try? IndexLocation.open(configuration.databasePath, create: false),
           let statistics = try? store.statistics(), let roots = try? store.roots().map(\.path) {
            let shown = roots.prefix(8).joined(separator: ", ") + (roots.count > 8 ? " and \(roots.count - 8) more" : "")
            scope = "\(statistics.files) files under \(shown)"
        }
        return "semsearch: local semantic search over \(scope). Use search to find passages by meaning; results give absolute "
            + "path, line range and best lines, to open with your file tools\(configuration.allowRead ? " or read" : ""). Keywords (BM25) are "
            + "fused in unless hybrid: false; for exact strings use grep. status tells whether the index is stale.\(configuration.allowRefresh ? " refresh re-indexes changed files." : "")"
    }

    // MARK: - Tools

    var tools: [ToolDefinition] {
        [SearchTool.definition, StatusTool.definition] + (configuration.allowRead ? [ReadTool.definition] : [])
            + (configuration.allowRefresh ? [RefreshTool.definition] : [])
    }

    private func call(id: JSONValue, params: JSONValue?) {
        guard !take(cancelled: id) else { return }
        let result: JSONValue
        do throws(ToolError) {
            result = try run(tool: params?["name"]?.stringValue, arguments: params?["arguments"]).json
        } catch {
            result = ToolResult.failure(error)
        }
        guard !take(cancelled: id) else { return }
        writer.send(JSONRPCMessage.response(id: id, result: result))
    }

    private func run(tool name: String?, arguments: JSONValue?) throws(ToolError) -> ToolResult {
        let path = configuration.databasePath
        switch name {
        case "search": return try SearchTool(maxBytes: configuration.maxResultBytes).call(arguments) { try loader.searcher() }
        case "status": return try StatusTool(databasePath: path).call(arguments)
        case "read" where configuration.allowRead: return try ReadTool(databasePath: path, maxBytes: configuration.maxResultBytes).call(arguments)
        case "refresh" where configuration.allowRefresh: return try RefreshTool(databasePath: path, executable: configuration.executable).call(arguments)
        default: throw ToolError("no tool '\(name ?? "")'; this server has \(tools.map(\.name).joined(separator: ", "))")
        }
    }

    /// Whether request `id` was cancelled (forgetting it, since an id answers once).
    private func take(cancelled id: JSONValue) -> Bool {
        cancelled.withLock { $0.remove(id) != nil }
    }
}
