import Foundation
import Synchronization

/// A `semsearch mcp` process with its stdin and stdout kept open: the test writes JSON-RPC lines
/// and reads the answers as a client would, byte for byte.
final class MCPConversation: Sendable {
    let process: Process
    private let input: FileHandle
    private let lines = Mutex<[String]>([])
    private let stderrText = Mutex<String>("")
    private let arrived = DispatchSemaphore(value: 0)

    init(_ arguments: [String], readOutput: Bool = true) throws {
        process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["mcp"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        input = stdin.fileHandleForWriting
        let errors = stderr.fileHandleForReading
        DispatchQueue.global().async { [weak self] in
            let data = errors.readDataToEndOfFile()
            self?.stderrText.withLock { $0 = String(decoding: data, as: UTF8.self) }
        }
        guard readOutput else { return }
        let output = stdout.fileHandleForReading
        DispatchQueue.global().async { [weak self] in
            var pending = Data()
            while true {
                let data = output.availableData
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    self?.lines.withLock { $0.append(line) }
                    self?.arrived.signal()
                }
            }
            self?.arrived.signal()
        }
    }

    /// Writes `text` as it is (one or more lines).
    func write(_ text: String) {
        try? input.write(contentsOf: Data(text.utf8))
    }

    /// Sends a request and waits for its answer.
    func request(_ id: Int, _ method: String, _ params: [String: Any]? = nil, timeout: Double = 30) throws -> [String: Any] {
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        write(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self) + "\n")
        return try answer(id, timeout: timeout)
    }

    /// The arguments of a `tools/call` and its result object.
    func call(_ id: Int, _ tool: String, _ arguments: [String: Any] = [:]) throws -> [String: Any] {
        let response = try request(id, "tools/call", ["name": tool, "arguments": arguments])
        guard let result = response["result"] as? [String: Any] else { throw Failure("no result for \(tool): \(response)") }
        return result
    }

    /// Waits for the message answering `id`.
    func answer(_ id: Int, timeout: Double = 30) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let found = try messages().first(where: { ($0["id"] as? Int) == id }) { return found }
            guard arrived.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .success, Date() < deadline else {
                throw Failure("no answer to request \(id) within \(timeout) s; stderr: \(stderr)")
            }
        }
    }

    /// Every line written so far, each parsed (throws if one is not a JSON object).
    func messages() throws -> [[String: Any]] {
        try lines.withLock { $0 }.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw Failure("a stdout line is not a JSON object: \(line.prefix(200))")
            }
            return object
        }
    }

    var rawLines: [String] { lines.withLock { $0 } }
    var stderr: String { stderrText.withLock { $0 } }

    /// Closes stdin, as a client does to shut the server down.
    func closeInput() { try? input.close() }

    /// Waits for the process to exit; its status, or nil when it is still running after `timeout`.
    func exitStatus(within timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
