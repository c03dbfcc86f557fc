import Foundation
import SemsearchKit

/// Turns search responses into text for where stdout goes: a terminal (ranked, coloured), a pipe
/// (grep-style lines), JSON lines, or unique file paths. The terminal and grep-style lines print a
/// result's `relevance`, the number the list is ordered by; JSON lines carry it beside the cosine.
struct ResultFormat {
    enum Style { case terminal, grep, json, files }

    let style: Style
    let colored: Bool
    let explain: Bool
    /// Queries come from stdin: JSON lines carry the query, terminal output heads each answer with it.
    let pipeMode: Bool
    let width: Int
    private let currentDirectory = FileManager.default.currentDirectoryPath

    init(json: Bool, files: Bool, color: ColorChoice, explain: Bool, pipeMode: Bool) {
        let terminal = isatty(STDOUT_FILENO) != 0
        style = json ? .json : files ? .files : terminal ? .terminal : .grep
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let dumb = ProcessInfo.processInfo.environment["TERM"] == "dumb"
        switch color {
        case .always: colored = style == .terminal
        case .never: colored = false
        case .auto: colored = style == .terminal && terminal && !noColor && !dumb
        }
        self.explain = explain
        self.pipeMode = pipeMode
        var size = winsize()
        width = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 100
    }

    func render(_ response: SearchResponse) -> String {
        switch style {
        case .json:
            return response.results.map {
                JSONOutput.line(SearchResultRecord($0, of: response, pipeMode: pipeMode, explain: explain)) + "\n"
            }.joined()
        case .grep: return response.results.map { grep($0) + "\n" }.joined()
        case .files:
            var seen = Set<String>()
            return response.results.map { display($0.chunk.path) }.filter { seen.insert($0).inserted }.map { $0 + "\n" }.joined()
        case .terminal: return terminal(response)
        }
    }

    /// A path relative to the current directory when it lies below it, as grep and ripgrep print.
    func display(_ path: String) -> String {
        let prefix = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    // MARK: - Formats

    private func grep(_ result: SearchResult) -> String {
        let snippet = result.snippet.lines.joined(separator: "\n")
        return "\(display(result.chunk.path)):\(result.snippet.line):\(String(format: "%.4f", result.relevance)):\(Self.escape(snippet))"
    }

    /// Backslash, tab, newline and carriage return as `\\`, `\t`, `\n`, `\r`, so a result is one line.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private func terminal(_ response: SearchResponse) -> String {
        var out = ""
        if pipeMode { out += paint("query: ", "1") + response.query + "\n" }
        for result in response.results {
            let c = result.chunk
            let lines = c.lineStart == c.lineEnd ? "\(c.lineStart)" : "\(c.lineStart)-\(c.lineEnd)"
            out += paint(String(format: "%2d", result.rank), "2") + "  " + paint(String(format: "%.3f", result.relevance), "33") + "  "
            out += paint(display(c.path), "35") + ":" + paint(lines, "32")
            if let location = c.location { out += "  " + paint(location.description, "32") }
            if !c.heading.isEmpty { out += "  " + paint(c.heading, "36") }
            if result.isStale { out += "  " + paint("(changed since indexed)", "2") }
            out += "\n"
            for line in result.snippet.lines { out += "      " + highlight(clip(line, width - 7), response.query) + "\n" }
            if explain { out += "      " + paint(explanation(result.explanation, response.method), "2") + "\n" }
        }
        let summary = "\(response.results.count) result\(response.results.count == 1 ? "" : "s") · \(response.cell)\(response.calibrated ? " calibrated" : "") · \(response.method) over \(response.scanned) vectors · "
            + String(format: "%.0f ms embed + %.0f ms search", response.embedMilliseconds, response.searchMilliseconds)
        out += paint(summary, "2") + "\n"
        return out
    }

    private func explanation(_ e: ScoreExplanation, _ method: RankingMethod) -> String {
        var parts: [String] = []
        parts.append("vector " + (e.vectorScore.map { String(format: "%.4f", $0) } ?? "–") + (e.vectorRank.map { " (#\($0))" } ?? " (not in the vector top)"))
        if method.fusesKeywords {
            parts.append("bm25 " + (e.keywordRank.map { "#\($0)" } ?? "–"))
            parts.append("fused " + (e.fusedScore.map { String(format: "%.4f", $0) } ?? "–"))
        }
        if let score = e.shortlistScore, let rank = e.shortlistRank { parts.append("shortlist \(String(format: "%.4f", score)) (#\(rank))") }
        return parts.joined(separator: " · ")
    }

    private func clip(_ line: String, _ limit: Int) -> String {
        line.count <= limit ? line : String(line.prefix(max(1, limit - 1))) + "…"
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func highlight(_ line: String, _ query: String) -> String {
        guard colored else { return line }
        var out = "", last = line.startIndex
        for range in Snippet.matchRanges(in: line, query: query) {
            out += line[last..<range.lowerBound] + paint(String(line[range]), "1;31")
            last = range.upperBound
        }
        return out + line[last...]
    }
}
