import SemsearchCore
import Foundation

/// Added tokens matched in the raw text, leftmost-longest, before normalization.
struct AddedTokens: Sendable {
    private let ids: [[UInt8]: Int32]
    /// For each first byte, the token lengths that start with it, longest first.
    private let lengths: [[Int]]

    init(_ tokens: [(content: String, id: Int32)]) {
        var ids: [[UInt8]: Int32] = [:]
        var lengths = [Set<Int>](repeating: [], count: 256)
        for token in tokens where !token.content.isEmpty {
            let bytes = Array(token.content.utf8)
            ids[bytes] = token.id
            lengths[Int(bytes[0])].insert(bytes.count)
        }
        self.ids = ids
        self.lengths = lengths.map { $0.sorted(by: >) }
    }

    /// Calls `body` for each stretch of `bytes` in order: an added token (with its id) or plain text (nil).
    func split(_ bytes: [UInt8], _ body: (Range<Int>, Int32?) -> Void) {
        var plainStart = 0, i = 0
        while i < bytes.count {
            var matched: (Int, Int32)?
            for length in lengths[Int(bytes[i])] where i + length <= bytes.count {
                if let id = ids[Array(bytes[i..<(i + length)])] { matched = (length, id); break }
            }
            if let (length, id) = matched {
                if plainStart < i { body(plainStart..<i, nil) }
                body(i..<(i + length), id)
                i += length
                plainStart = i
            } else {
                i += 1
            }
        }
        if plainStart < bytes.count { body(plainStart..<bytes.count, nil) }
    }
}
