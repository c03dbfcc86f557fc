import Foundation

/// Runs the built `semsearch` binary as a user would, with stdin, and captures everything.
enum CommandLineRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The `semsearch` executable built next to this test bundle.
    static let executable: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let runner = Bundle.main.executableURL { candidates.append(runner.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates += [root.appendingPathComponent(".build/release"), root.appendingPathComponent(".build/debug")]
        for dir in candidates where fm.isExecutableFile(atPath: dir.appendingPathComponent("semsearch").path) {
            return dir.appendingPathComponent("semsearch")
        }
        fatalError("semsearch binary not found next to the tests; run 'swift build' first")
    }()

    /// Runs `semsearch arguments…`, feeding `stdin`; kills the process after `timeout` seconds so a
    /// hang fails the test instead of the whole run.
    static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:],
                    timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async {
            try? input.fileHandleForWriting.write(contentsOf: stdin)
            try? input.fileHandleForWriting.close()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw RunnerError.timedOut(arguments)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    enum RunnerError: Error { case timedOut([String]) }

    /// Each stdout line parsed as a JSON object.
    static func jsonObjects(_ result: Result) throws -> [[String: Any]] {
        try result.stdoutLines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}
