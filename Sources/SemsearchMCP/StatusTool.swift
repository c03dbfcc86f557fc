import Foundation
import SemsearchKit

/// The `status` tool: what the index holds and how fresh it is — its roots, model, cells, last
/// run, how many indexed files changed on disk since, and whether an index run or a watcher is
/// going on. Reads the database only, so it answers even when the model is missing.
struct StatusTool {
    let databasePath: String

    static let definition = ToolDefinition(
        name: "status", title: "Index status",
        description: "The index: roots, files, model, last run, files changed since, and whether indexing or a watcher runs.",
        inputSchema: ToolDefinition.objectSchema([:], closed: true),
        outputSchema: ToolDefinition.objectSchema([
            "index": ["type": "string"], "files": ["type": "integer"], "changed_files": ["type": "integer"],
            "indexing": ["type": "boolean"], "watching": ["type": "boolean"],
        ], required: ["index", "files", "changed_files", "indexing", "watching"]),
        readOnly: true)

    struct Output: Encodable {
        var index: String
        var roots: [String]
        var files: Int
        var chunks: Int
        var model: String?
        var layers: [Int]
        var dims: [Int]
        /// ISO 8601, UTC.
        var lastRun: String?
        /// Indexed files whose size or modification time changed, or that are gone.
        var changedFiles: Int
        var indexing: Bool
        var watching: Bool
        enum CodingKeys: String, CodingKey {
            case index, roots, files, chunks, model, layers, dims, lastRun = "last_run", changedFiles = "changed_files", indexing, watching
        }
    }

    func call(_ arguments: JSONValue?) throws(ToolError) -> ToolResult {
        _ = try ToolArguments(arguments, allowed: [])
        let output = try SearchTool.run { () throws -> Output in
            let store = try IndexLocation.open(databasePath, create: false)
            let status = try IndexStatus(store: store, detail: .summary)
            let changed = try store.fileStates(under: "/").filter { path, state in state.differs(fromFileAt: path) }.count
            return Output(index: status.address, roots: status.roots, files: status.statistics.files, chunks: status.statistics.chunks,
                          model: status.settings?.model, layers: status.settings?.layers ?? [],
                          dims: status.settings.map { MatryoshkaCell.standardDims(width: $0.hiddenSize) } ?? [],
                          lastRun: status.lastRun.map { $0.formatted(.iso8601) }, changedFiles: changed,
                          indexing: status.indexingProcess != nil, watching: status.watcherProcess != nil)
        }
        return ToolResult(structured: .from(output))
    }
}
