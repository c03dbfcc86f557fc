/// A tool call that cannot be answered: bad arguments, or a failure while running the tool. It
/// reaches the client as a result with `isError: true` and this one-line message, which the model
/// reads to correct its next call (SEP-1303), not as a JSON-RPC error.
public struct ToolError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }
}
