import SemsearchKit
import SemsearchMCP
import Foundation

/// A minimal MCP client over a child process's stdio, one request at a time: what
/// `semsearch bench mcp` uses to time the server as an agent's client would see it.
public final class MCPStdioClient {
    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var pending = Data()
    private var nextID = 1

    /// Starts `executable arguments…` with its stdin and stdout piped to this client (stderr is dropped).
    public init(executable: String, arguments: [String]) throws {
        let stdin = Pipe(), stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    deinit {
        try? input.close()
        if process.isRunning { process.terminate() }
    }

    /// Sends a request and returns its `result` (a JSON-RPC error throws), with the raw answer's size.
    @discardableResult
    public func request(_ method: String, _ params: JSONValue? = nil) throws -> (result: JSONValue, bytes: Int) {
        let id = nextID
        nextID += 1
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
        if let params { message["params"] = params }
        try input.write(contentsOf: Data((JSONValue.object(message).text + "\n").utf8))
        while true {
            let line = try readLine()
            guard let answer = JSONValue.parse(line), answer["id"] == .int(id) else { continue }
            if let error = answer["error"] { throw ClientError.answered(error.text) }
            return (answer["result"] ?? .null, line.count)
        }
    }

    /// Sends a notification.
    public func notify(_ method: String) throws {
        try input.write(contentsOf: Data((JSONValue.object(["jsonrpc": "2.0", "method": .string(method)]).text + "\n").utf8))
    }

    /// Closes the server's stdin and waits for it to exit; returns its status.
    public func finish() -> Int32 {
        try? input.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func readLine() throws -> Data {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                return Data(line)
            }
            let data = output.availableData
            guard !data.isEmpty else { throw ClientError.closed }
            pending.append(data)
        }
    }

    public enum ClientError: Error, CustomStringConvertible {
        case answered(String)
        case closed

        public var description: String {
            switch self {
            case .answered(let error): return "the server answered with an error: \(error)"
            case .closed: return "the server closed its output"
            }
        }
    }
}
