import SemsearchCore
import SemsearchEncoder

/// The few lines of a chunk that best match a query's words, with their line number in the file.
///
/// Lines are scored by how many distinct query words they contain (a word also matches a longer
/// form sharing its first five letters, so "rivers" finds "river"); the line with the most wins
/// (the earliest on ties), followed by the next non-blank lines up to `maxLines`. A chunk with no matching word shows its first
/// non-blank lines — the vector matched its meaning, not its words.
public struct Snippet: Sendable, Equatable {
    /// 1-based line number of `lines[0]` in the file.
    public var line: Int
    public var lines: [String]

    public init(line: Int, lines: [String]) {
        self.line = line
        self.lines = lines
    }

    /// Picks the snippet of `chunk` for `query`.
    public static func best(in chunk: ChunkRecord, query: String, maxLines: Int = 2) -> Snippet {
        let terms = QueryTerms.words(in: query)
        let lines = chunk.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        let candidates = lines.indices.filter { !lines[$0].allSatisfy(\.isWhitespace) }
        guard let first = candidates.first else { return Snippet(line: chunk.lineStart, lines: []) }
        var bestIndex = first, bestScore = 0
        if !terms.isEmpty {
            for i in candidates {
                let score = matches(terms, in: lines[i])
                if score > bestScore { bestScore = score; bestIndex = i }
            }
        }
        var picked = [lines[bestIndex]]
        var next = bestIndex + 1
        while picked.count < maxLines, next < lines.count {
            if !lines[next].allSatisfy(\.isWhitespace) { picked.append(lines[next]) }
            next += 1
        }
        return Snippet(line: chunk.lineStart + bestIndex, lines: picked.map { $0.trimmingWhitespace() })
    }

    /// Ranges of the words in `line` that match a word of `query`, for highlighting.
    public static func matchRanges(in line: String, query: String) -> [Range<String.Index>] {
        let terms = QueryTerms.words(in: query)
        guard !terms.isEmpty else { return [] }
        return QueryTerms.wordRanges(in: line).filter { range in
            let word = line[range].lowercased()
            return terms.contains { QueryTerms.same($0, word) }
        }
    }

    static func matches(_ terms: Set<String>, in line: String) -> Int {
        let words = QueryTerms.words(in: line)
        var count = 0
        for term in terms where words.contains(where: { QueryTerms.same(term, $0) }) { count += 1 }
        return count
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
