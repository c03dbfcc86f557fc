/// A JSON-RPC error: the codes this server answers with (parse error, invalid request, unknown
/// method). A tool's bad arguments are not among them: they come back as an `isError` tool result
/// (``ToolError``).
public struct JSONRPCError: Error, Sendable, Equatable {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// The line is not JSON.
    public static func parseError(_ detail: String) -> JSONRPCError { .init(code: -32700, message: "Parse error: \(detail)") }
    /// JSON, but not a JSON-RPC 2.0 request or notification.
    public static func invalidRequest(_ detail: String) -> JSONRPCError { .init(code: -32600, message: "Invalid request: \(detail)") }
    public static func methodNotFound(_ method: String) -> JSONRPCError { .init(code: -32601, message: "Method not found: \(method)") }

    var json: JSONValue { ["code": .int(code), "message": .string(message)] }
}
