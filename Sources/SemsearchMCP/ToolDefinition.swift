/// A tool as `tools/list` shows it: name, title, a description written for the model, JSON
/// Schemas for the arguments and the structured result, and hints about what it touches.
struct ToolDefinition {
    var name: String
    var title: String
    var description: String
    var inputSchema: JSONValue
    var outputSchema: JSONValue?
    var readOnly: Bool

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "title": .string(title), "description": .string(description), "inputSchema": inputSchema,
            "annotations": ["readOnlyHint": .bool(readOnly), "openWorldHint": false],
        ]
        if let outputSchema { object["outputSchema"] = outputSchema }
        return .object(object)
    }

    /// `{"type":"object", …}` with `properties` and the `required` names; `closed` allows no other
    /// keys (argument schemas; result schemas stay open, since they list only what always comes).
    static func objectSchema(_ properties: [String: JSONValue], required: [String] = [], closed: Bool = false) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if closed { schema["additionalProperties"] = false }
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }
}
