import Foundation

/// One incoming JSON-RPC 2.0 message: a request (with an id) or a notification (without).
public struct JSONRPCMessage: Sendable, Equatable {
    /// The request id (a number or a string), or nil for a notification.
    public var id: JSONValue?
    public var method: String
    public var params: JSONValue?

    /// Reads one line of the stream. A line that is not JSON, or not a JSON-RPC request, throws
    /// the error to answer it with, along with the id when one could be read.
    public static func parse(_ line: Data) throws(ParseFailure) -> JSONRPCMessage {
        guard let value = JSONValue.parse(line) else { throw ParseFailure(id: .null, error: .parseError("the line is not JSON")) }
        guard case .object(let object) = value else {
            let what = if case .array = value { "batches are not supported" } else { "a message is a JSON object" }
            throw ParseFailure(id: .null, error: .invalidRequest(what))
        }
        let id = object["id"]
        if let id {
            switch id {
            case .int, .string: break
            case .double(let number) where number == number.rounded(): break
            default: throw ParseFailure(id: .null, error: .invalidRequest("id must be a number or a string"))
            }
        }
        guard object["jsonrpc"] == .string("2.0") else { throw ParseFailure(id: id ?? .null, error: .invalidRequest("jsonrpc must be \"2.0\"")) }
        guard let method = object["method"]?.stringValue, !method.isEmpty else {
            throw ParseFailure(id: id ?? .null, error: .invalidRequest("no method"))
        }
        return JSONRPCMessage(id: id, method: method, params: object["params"])
    }

    /// Why a line could not be read as a message, and the id to answer.
    public struct ParseFailure: Error, Sendable {
        public var id: JSONValue
        public var error: JSONRPCError
    }

    /// A success response to request `id`.
    static func response(id: JSONValue, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    /// An error response to request `id` (null when the request's id could not be read).
    static func response(id: JSONValue, error: JSONRPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }
}
