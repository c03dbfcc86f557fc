/// Hand-rolled JSON output for `embed`'s vectors, where building Foundation objects per line would
/// cost more than the work itself (every other `--json` output is an `Encodable` record).
public enum JSONText {
    /// `s` as a JSON string literal, quotes included.
    public static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// A JSON number for `x` (shortest round-trip form; non-finite values become null).
    public static func number(_ x: Float) -> String { x.isFinite ? x.description : "null" }

    /// A JSON array of numbers.
    public static func array<C: Collection<Float>>(_ values: C) -> String {
        var out = "["
        out.reserveCapacity(values.count * 12)
        var first = true
        for v in values {
            if !first { out += "," }
            out += number(v)
            first = false
        }
        out += "]"
        return out
    }
}
