import Foundation
import SemsearchKit

/// The `read` tool (opt-in with `--allow-read`): a bounded range of lines of a file inside an
/// indexed root, for clients without file tools of their own.
struct ReadTool {
    let databasePath: String
    /// Most lines one call returns, and the cap on the text in bytes.
    static let maxLines = 200
    let maxBytes: Int

    static let definition = ToolDefinition(
        name: "read", title: "Read lines",
        description: "Lines of a file inside an indexed root (at most 200 a call).",
        inputSchema: ToolDefinition.objectSchema([
            "path": ["type": "string"], "start_line": ["type": "integer", "minimum": 1], "end_line": ["type": "integer", "minimum": 1],
        ], required: ["path"], closed: true),
        outputSchema: ToolDefinition.objectSchema([
            "path": ["type": "string"], "start_line": ["type": "integer"], "end_line": ["type": "integer"],
            "total_lines": ["type": "integer"], "text": ["type": "string"], "truncated": ["type": "boolean"],
        ], required: ["path", "start_line", "end_line", "total_lines", "text", "truncated"]),
        readOnly: true)

    struct Output: Encodable {
        var path: String
        var startLine: Int
        var endLine: Int
        var totalLines: Int
        var text: String
        var truncated: Bool
        enum CodingKeys: String, CodingKey { case path, startLine = "start_line", endLine = "end_line", totalLines = "total_lines", text, truncated }
    }

    func call(_ arguments: JSONValue?) throws(ToolError) -> ToolResult {
        let args = try ToolArguments(arguments, allowed: ["path", "start_line", "end_line"])
        guard let requested = try args.string("path"), !requested.isEmpty else { throw ToolError("'path' is required") }
        let start = try args.integer("start_line", in: 1...Int(Int32.max)) ?? 1
        let end = try args.integer("end_line", in: 1...Int(Int32.max)) ?? start + Self.maxLines - 1
        guard end >= start else { throw ToolError("'end_line' (\(end)) is before 'start_line' (\(start))") }
        let roots = try SearchTool.run { try IndexLocation.open(databasePath, create: false).roots().map(\.path) }
        // Resolve links and dots first, so a path cannot step out of the roots.
        let candidates = requested.hasPrefix("/") ? [requested] : roots.map { ($0 as NSString).appendingPathComponent(requested) }
        guard let path = candidates.lazy.compactMap({ Self.realPath($0) }).first(where: { path in
            roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
        }) else {
            throw ToolError("'\(requested)' is not a file inside the indexed roots (\(roots.joined(separator: ", ")))")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ToolError("cannot read '\(path)'") }
        guard !data.prefix(8192).contains(0) else { throw ToolError("'\(path)' is a binary file") }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let total = lines.count - (lines.last?.isEmpty == true ? 1 : 0)
        let last = min(end, start + Self.maxLines - 1, total)
        var output = Output(path: path, startLine: start, endLine: max(start - 1, last), totalLines: total, text: "", truncated: end > last)
        if start <= last {
            var text = ""
            for (index, line) in lines[(start - 1)..<last].enumerated() {
                if text.utf8.count + line.utf8.count + 1 > maxBytes {
                    output.endLine = start + index - 1
                    output.truncated = true
                    break
                }
                text += line + "\n"
            }
            output.text = text
        }
        return ToolResult(structured: .from(output))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
