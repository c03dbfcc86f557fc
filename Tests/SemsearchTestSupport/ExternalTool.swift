import Foundation

/// Runs another program that writes test inputs (Python's zipfile and email packages, Info-ZIP's
/// zip), so the readers are tested on files other producers made, not only on our own bytes.
public enum ExternalTool {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `tool` with `arguments` in `directory` and waits; returns its standard output (a few
    /// KB at most: it is read before standard error), and throws with its standard error when it
    /// exits non-zero.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let errors = Pipe(), output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(tool) exited with \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
        }
        return String(decoding: printed, as: UTF8.self)
    }

    /// The path of `tool` on `PATH`, if it is installed.
    public static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `python3 -c script` in `directory` (python3 is on every machine CI and a developer use).
    public static func python(_ script: String, in directory: URL) throws {
        try run("/usr/bin/python3", ["-c", script], in: directory)
    }

    /// What `python3 -c script` in `directory` prints.
    public static func pythonOutput(_ script: String, in directory: URL) throws -> String {
        try run("/usr/bin/python3", ["-c", script], in: directory)
    }
}
