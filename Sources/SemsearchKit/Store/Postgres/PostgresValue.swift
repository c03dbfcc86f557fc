import Foundation

/// A parameter of a PostgreSQL statement. Text values go as text and let the server infer their
/// type from the statement (`$1::bigint[]` where it cannot); BLOBs go binary as `bytea`, so vectors
/// cross the wire as their own bytes instead of twice as many hex digits.
enum PostgresValue {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    case bytes(Data)
    /// Bytes in the binary format of the type the statement casts the parameter to (`$3::halfvec`).
    case binary(Data)

    init(_ value: Int) { self = .int(Int64(value)) }
    init(_ value: String?) { self = value.map(PostgresValue.text) ?? .null }

    /// A `bigint[]` literal (`{1,2,3}`), for `= ANY($1::bigint[])`.
    static func ids<S: Sequence>(_ ids: S) -> PostgresValue where S.Element == Int64 {
        .text("{" + ids.map(String.init).joined(separator: ",") + "}")
    }

    /// A `text[]` literal with every element quoted.
    static func texts<S: Sequence>(_ texts: S) -> PostgresValue where S.Element == String {
        .text("{" + texts.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}")
    }

    /// The value's bytes as libpq takes them (nil: SQL NULL), whether they are binary, and the type
    /// they are sent as (17: `bytea`; 0: whatever the statement makes of them).
    var wire: (bytes: [UInt8]?, binary: Bool, type: UInt32) {
        switch self {
        case .null: return (nil, false, 0)
        case .text(let text): return (Array(text.utf8), false, 0)
        case .int(let value): return (Array(String(value).utf8), false, 0)
        case .double(let value): return (Array("\(value)".utf8), false, 0)
        case .bytes(let data): return ([UInt8](data), true, 17)
        case .binary(let data): return ([UInt8](data), true, 0)
        }
    }
}
