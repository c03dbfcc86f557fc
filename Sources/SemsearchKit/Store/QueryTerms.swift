import SemsearchCore
import SemsearchEncoder

/// The words of a query as search terms: lowercased letter/digit runs, stop words dropped.
enum QueryTerms {
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in", "is", "it",
        "of", "on", "or", "the", "to", "was", "what", "when", "where", "which", "who", "why", "with",
    ]

    static func words(in text: String) -> Set<String> {
        var out = Set<String>()
        for range in wordRanges(in: text) {
            let word = text[range].lowercased()
            if !stopWords.contains(word) { out.insert(word) }
        }
        return out
    }

    /// Ranges of the runs of letters, digits and underscores in `text`.
    static func wordRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if ch.isLetter || ch.isNumber || ch == "_" {
                if start == nil { start = index }
            } else if let s = start {
                ranges.append(s..<index)
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { ranges.append(s..<text.endIndex) }
        return ranges
    }

    /// Equal, or sharing a prefix of at least five characters with one a prefix of the other.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        return short.count >= 5 && long.hasPrefix(short)
    }
}
