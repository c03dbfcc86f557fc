import Foundation

/// A pull scanner over the machine-written XML inside Office, OpenDocument and EPUB files: start
/// and end tags with their attributes, and text with the predefined and numeric entities decoded.
///
/// Written by hand rather than through Foundation's `XMLParser` for two reasons. These parts are
/// generated XML with fixed namespace prefixes (`w:`, `a:`, `text:`…) and no DTD, so a reader
/// needs tags, attributes and text, not validation; and a DTD with an internal subset is the one
/// way XML can expand entities (the "billion laughs"), so it is refused outright instead of being
/// trusted to a parser's limits. Comments, processing instructions and a plain `<!DOCTYPE html>`
/// are skipped; CDATA is text. Nesting deeper than ``maxDepth`` is refused. Names are compared as
/// written (qualified), which is how every producer of these formats writes them.
struct XMLScanner {
    /// A self-closing tag (`<w:br/>`) is one `start` with `selfClosing` true and no `end`.
    enum Event: Equatable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    /// Deeper nesting than any real document has; a file past it is built to exhaust a reader.
    static let maxDepth = 512

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// The next event, or nil at the end of the document.
    mutating func next() throws(DocumentFormatError) -> Event? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") { return .text(readText()) }
            if starts(with: "<!--") { try skip(past: "-->"); continue }
            if starts(with: "<?") { try skip(past: "?>"); continue }
            if starts(with: "<![CDATA[") {
                let start = position + 9
                try skip(past: "]]>")
                return .text(String(decoding: bytes[start..<(position - 3)], as: UTF8.self))
            }
            if starts(with: "<!") { try skipDeclaration(); continue }
            return try readTag()
        }
        return nil
    }

    /// Calls `body` for every event until the end of the document.
    mutating func forEach(_ body: (Event) throws(DocumentFormatError) -> Void) throws(DocumentFormatError) {
        while let event = try next() { try body(event) }
    }

    // MARK: - Pieces

    private func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { buffer in
            for i in 0..<count where bytes[position + i] != buffer[i] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: StaticString) throws(DocumentFormatError) {
        let count = terminator.utf8CodeUnitCount
        let found: Int? = terminator.withUTF8Buffer { t in
            var i = position
            while i + count <= bytes.count {
                if bytes[i] == t[0] {
                    var match = true
                    for j in 1..<count where bytes[i + j] != t[j] { match = false; break }
                    if match { return i + count }
                }
                i += 1
            }
            return nil
        }
        guard let found else { throw .malformed("XML ends inside a comment or declaration") }
        position = found
    }

    /// `<!DOCTYPE …>`: skipped when it has no internal subset; refused when it has one, since
    /// only there can entities be declared.
    private mutating func skipDeclaration() throws(DocumentFormatError) {
        var i = position + 2
        while i < bytes.count, bytes[i] != UInt8(ascii: ">") {
            if bytes[i] == UInt8(ascii: "[") { throw .refused("XML with a DTD that declares entities") }
            i += 1
        }
        guard i < bytes.count else { throw .malformed("XML ends inside a declaration") }
        position = i + 1
    }

    private mutating func readText() -> String {
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
        return Self.decodeEntities(bytes[start..<position])
    }

    private mutating func readTag() throws(DocumentFormatError) -> Event {
        position += 1
        let closing = position < bytes.count && bytes[position] == UInt8(ascii: "/")
        if closing { position += 1 }
        let name = readName()
        guard !name.isEmpty else { throw .malformed("XML tag without a name") }
        if closing {
            while position < bytes.count, bytes[position] != UInt8(ascii: ">") { position += 1 }
            guard position < bytes.count else { throw .malformed("XML ends inside a tag") }
            position += 1
            depth -= 1
            return .end(name: name)
        }
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard position < bytes.count else { throw .malformed("XML ends inside a tag") }
            let c = bytes[position]
            if c == UInt8(ascii: ">") { position += 1; break }
            if c == UInt8(ascii: "/") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { throw .malformed("stray / in an XML tag") }
                position += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            let key = readName()
            guard !key.isEmpty else { throw .malformed("bad XML attribute in <\(name)>") }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw .malformed("XML attribute \(key) has no value") }
            position += 1
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw .malformed("XML attribute \(key) is not quoted")
            }
            let quote = bytes[position]
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != quote { position += 1 }
            guard position < bytes.count else { throw .malformed("XML ends inside an attribute") }
            attributes[key] = Self.decodeEntities(bytes[start..<position])
            position += 1
        }
        depth += 1
        guard depth <= Self.maxDepth else { throw .refused("XML nested deeper than \(Self.maxDepth) elements") }
        return .start(name: name, attributes: attributes, selfClosing: false)
    }

    private mutating func readName() -> String {
        let start = position
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
                || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") { break }
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func skipSpace() {
        while position < bytes.count,
              bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
                || bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") { position += 1 }
    }

    /// Text with `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#N;`/`&#xH;` decoded; any other
    /// `&name;` is left as written (XML without a DTD can declare no other entity).
    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = slice.startIndex
        while i < slice.endIndex {
            let c = slice[i]
            guard c == UInt8(ascii: "&"), let semicolon = slice[i..<min(slice.endIndex, i + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                out.append(c)
                i += 1
                continue
            }
            let name = String(decoding: slice[(i + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = semicolon + 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
