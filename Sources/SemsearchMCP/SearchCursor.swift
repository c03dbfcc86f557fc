import Foundation

/// Where the next page of a search starts, handed to the client as an opaque string and read back
/// without any state kept in the server: the offset, a fingerprint of the query and its options
/// (a cursor only continues the search that made it), and the index run it was made on (a cursor
/// from before a re-index would skip or repeat results, so it is refused).
struct SearchCursor: Equatable {
    var offset: Int
    var fingerprint: UInt64
    var indexRun: String

    /// The FNV-1a hash of the fields that decide a search's ranking.
    static func fingerprint(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The cursor as the client sees it: base64url of `offset.fingerprint.run`.
    var token: String {
        Data("\(offset).\(String(fingerprint, radix: 16)).\(indexRun)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token back, checking it belongs to this search and this index run.
    init(token: String, fingerprint expected: UInt64, indexRun currentRun: String) throws(ToolError) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let parts = Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }?.split(separator: ".", maxSplits: 2).map(String.init)
        guard let parts, parts.count == 3, let offset = Int(parts[0]), offset >= 0, offset <= 10_000,
              let fingerprint = UInt64(parts[1], radix: 16) else {
            throw ToolError("'cursor' is not one this server made; search again without it")
        }
        guard fingerprint == expected else {
            throw ToolError("'cursor' belongs to another query or other options; pass the same query, paths, hybrid, layer, dim and detail")
        }
        guard parts[2] == currentRun else {
            throw ToolError("the index changed since this cursor was made; search again without it")
        }
        self.init(offset: offset, fingerprint: fingerprint, indexRun: parts[2])
    }

    init(offset: Int, fingerprint: UInt64, indexRun: String) {
        self.offset = offset
        self.fingerprint = fingerprint
        self.indexRun = indexRun
    }
}
