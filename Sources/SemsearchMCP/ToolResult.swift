/// What a tool call answers: the structured result, and a text block with the same facts (its
/// compact JSON), since some clients show the model only one of the two.
struct ToolResult {
    var structured: JSONValue

    /// The `tools/call` result object.
    var json: JSONValue {
        ["content": [["type": "text", "text": .string(structured.text)]], "structuredContent": structured, "isError": false]
    }

    /// The result for a call that failed: the message as text, no structured content.
    static func failure(_ error: ToolError) -> JSONValue {
        ["content": [["type": "text", "text": .string(error.message)]], "isError": true]
    }
}
