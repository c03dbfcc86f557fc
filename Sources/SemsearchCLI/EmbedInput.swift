import Foundation
import SemsearchKit

/// One text to embed, and the JSON fields to echo before ours (already serialized, each followed by a comma).
struct EmbedInput {
    var text: String
    var echoedFields: String

    init(text: String, echoedFields: String) {
        self.text = text
        self.echoedFields = echoedFields
    }

    /// Parses a `--jsonl` line: a JSON object with a string field "text".
    init(jsonLine line: String, number: Int) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw CommandError.input("stdin line \(number) is not a JSON object")
        }
        guard let text = object["text"] as? String else {
            throw CommandError.input("stdin line \(number) has no \"text\" string field")
        }
        var echoed = ""
        let reserved: Set<String> = ["text", "layer", "dim", "vector", "layers", "tokens"]
        for key in object.keys.sorted() where !reserved.contains(key) {
            let value = try JSONSerialization.data(withJSONObject: object[key]!, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
            echoed += JSONText.string(key) + ":" + String(decoding: value, as: UTF8.self) + ","
        }
        self.text = text
        self.echoedFields = echoed
    }
}
