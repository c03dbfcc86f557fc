import SemsearchCore
import Foundation

/// A forward-only reader over JSON bytes, for the one large file a model ships: `tokenizer.json`
/// (33 MB, 262,144 vocabulary entries and 514,906 merges for Gemma). Reading it with
/// `JSONSerialization` builds millions of boxed objects and takes seconds; this reads strings and
/// integers straight from the bytes, and skips what the caller does not ask for.
struct JSONCursor {
    private let bytes: [UInt8]
    private(set) var position = 0
    let path: String

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    func failure(_ reason: String) -> ModelError {
        .invalidJSON(path: path, reason: "\(reason) at byte \(position)")
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-space byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Calls `body` with each key of the object that starts here; `body` must consume the value.
    mutating func forEachMember(_ body: (inout JSONCursor, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Calls `body` for each element of the array that starts here; `body` must consume the element.
    mutating func forEachElement(_ body: (inout JSONCursor) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        repeat { try body(&self) } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    mutating func isNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), position + 4 <= bytes.count else { return false }
        position += 4
        return true
    }

    /// A JSON string, escapes decoded.
    mutating func string() throws -> String {
        String(decoding: try stringBytes(), as: UTF8.self)
    }

    /// A JSON string's UTF-8 bytes, escapes decoded. Unlike `String`, bytes compare exactly: a
    /// vocabulary can hold both U+003B ';' and U+037E ';', which Swift strings consider equal.
    mutating func stringBytes() throws -> [UInt8] {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Fast path: no escapes.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") { position += 1 }
        guard position < bytes.count else { throw failure("unterminated string") }
        if bytes[position] == UInt8(ascii: "\"") {
            defer { position += 1 }
            return Array(bytes[start..<position])
        }
        var out = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { break }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard position < bytes.count else { throw failure("unterminated escape") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), position + 6 <= bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(escape)
            }
        }
        return out
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            position += 1
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw failure("bad \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    /// A JSON integer.
    mutating func integer() throws -> Int {
        skipWhitespace()
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        let start = position
        var value = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            value = value &* 10 &+ Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        guard position > start else { throw failure("expected an integer") }
        return negative ? -value : value
    }

    /// Skips the value that starts here and returns its bytes (for small parts read with `JSONSerialization`).
    mutating func rawValue() throws -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = position
        try skipValue()
        return bytes[start..<position]
    }

    /// The value that starts here as a Foundation object (for small parts of the file).
    mutating func object() throws -> Any {
        let raw = try rawValue()
        do {
            return try JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])
        } catch {
            throw failure("invalid JSON value")
        }
    }

    mutating func skipValue() throws {
        guard let first = peek() else { throw failure("unexpected end") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            try forEachMember { cursor, _ in try cursor.skipValue() }
        case UInt8(ascii: "["):
            try forEachElement { cursor in try cursor.skipValue() }
        default:
            // A number, true, false or null: up to the next delimiter.
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                default: position += 1
                }
            }
        }
    }
}
