import Foundation

/// A tool call's `arguments`, checked and coerced. Clients send numbers, booleans and arrays as
/// strings now and then (`"10"`, `"true"`, `"[\"*.md\"]"`), so each reader accepts those forms;
/// anything else, an unknown key, or a value out of range is a ``ToolError`` naming the field.
struct ToolArguments {
    private let values: [String: JSONValue]

    /// The arguments of `params`, refusing keys outside `allowed`.
    init(_ arguments: JSONValue?, allowed: Set<String>) throws(ToolError) {
        switch arguments {
        case nil, .null?: values = [:]
        case .object(let object)?: values = object
        default: throw ToolError("arguments must be an object")
        }
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ToolError("unknown argument '\(unknown)'; this tool takes \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// A string argument; numbers are taken as their text.
    func string(_ key: String) throws(ToolError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        default: throw ToolError("'\(key)' must be a string")
        }
    }

    /// A whole number in `range`; `"10"` and `10.0` count as 10.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(ToolError) -> Int? {
        let number: Int
        switch values[key] {
        case nil, .null?: return nil
        case .int(let value)?: number = value
        case .double(let value)? where value == value.rounded() && abs(value) < 1e15: number = Int(value)
        case .string(let text)?:
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw ToolError("'\(key)' must be a whole number, not \"\(text.prefix(40))\"") }
            number = value
        default: throw ToolError("'\(key)' must be a whole number")
        }
        guard range.contains(number) else { throw ToolError("'\(key)' must be between \(range.lowerBound) and \(range.upperBound); got \(number)") }
        return number
    }

    /// A boolean; `"true"`/`"false"` (any case) count too.
    func boolean(_ key: String) throws(ToolError) -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .string(let text)?:
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw ToolError("'\(key)' must be true or false, not \"\(text.prefix(40))\"")
            }
        default: throw ToolError("'\(key)' must be true or false")
        }
    }

    /// A list of strings; one string, or a string holding a JSON array, counts as a list.
    func strings(_ key: String) throws(ToolError) -> [String]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item throws(ToolError) -> String in
                guard let text = item.stringValue else { throw ToolError("'\(key)' must be a list of strings") }
                return text
            }
        case .string(let text)?:
            if text.hasPrefix("["), case .array(let items)? = JSONValue.parse(Data(text.utf8)) {
                let texts = items.compactMap(\.stringValue)
                if texts.count == items.count { return texts }
            }
            return [text]
        default: throw ToolError("'\(key)' must be a list of strings")
        }
    }

    /// One of `choices`.
    func choice(_ key: String, of choices: [String]) throws(ToolError) -> String? {
        guard let text = try string(key) else { return nil }
        guard choices.contains(text) else { throw ToolError("'\(key)' must be one of \(choices.joined(separator: ", ")); got \"\(text.prefix(40))\"") }
        return text
    }
}
