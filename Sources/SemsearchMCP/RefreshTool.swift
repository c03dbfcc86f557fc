import Foundation
import SemsearchKit

/// The `refresh` tool (opt-in with `--allow-refresh`): starts an incremental `semsearch index` of
/// the index's roots in the background and returns at once; `status` shows it running, and
/// searches see its commits as they land. The child's output goes nowhere near the protocol stream.
struct RefreshTool {
    let databasePath: String
    let executable: String

    static let definition = ToolDefinition(
        name: "refresh", title: "Refresh the index",
        description: "Start re-indexing changed files in the background; returns at once. Check progress with status.",
        inputSchema: ToolDefinition.objectSchema([:], closed: true),
        outputSchema: ToolDefinition.objectSchema([
            "started": ["type": "boolean"], "already_running": ["type": "boolean"], "pid": ["type": "integer"],
        ], required: ["started", "already_running"]),
        readOnly: false)

    struct Output: Encodable {
        var started: Bool
        var alreadyRunning: Bool
        var pid: Int32?
        enum CodingKeys: String, CodingKey { case started, alreadyRunning = "already_running", pid }
    }

    func call(_ arguments: JSONValue?) throws(ToolError) -> ToolResult {
        _ = try ToolArguments(arguments, allowed: [])
        let store = try SearchTool.run { try IndexLocation.open(databasePath, create: false) }
        if let holder = store.lockHolder(for: .indexing) {
            return ToolResult(structured: .from(Output(started: false, alreadyRunning: true, pid: holder == 0 ? nil : holder)))
        }
        let roots = try SearchTool.run { try store.roots().map(\.path) }
        guard !roots.isEmpty else { throw ToolError("the index has no roots to refresh; run 'semsearch index DIR' once") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // A URL goes through the environment, where other users' `ps` does not show its password.
        if PostgresAddress.isPostgresURL(databasePath) {
            process.arguments = ["index"] + roots
            process.environment = ProcessInfo.processInfo.environment.merging(["SEMSEARCH_DB": databasePath]) { $1 }
        } else {
            process.arguments = ["index", "--db", databasePath] + roots
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try SearchTool.run { try process.run() }
        return ToolResult(structured: .from(Output(started: true, alreadyRunning: false, pid: process.processIdentifier)))
    }
}
