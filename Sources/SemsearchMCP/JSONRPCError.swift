/// A JSON-RPC error: the codes this server answers with.
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
    public static func invalidParams(_ detail: String) -> JSONRPCError { .init(code: -32602, message: "Invalid params: \(detail)") }

    var json: JSONValue { ["code": .int(code), "message": .string(message)] }
}
