import SemsearchCore
import SemsearchEncoder
import Foundation

/// Readable text from HTML: tags removed, `<script>`/`<style>`/comments dropped, block elements
/// turned into line breaks, `<h1>`…`<h6>` into Markdown headings, list items into `- ` lines, a
/// table row into one line of cells joined by ` | `, and common entities decoded.
enum HTMLText {
    static func extract(_ html: String) -> String {
        var out = ""
        var index = html.startIndex
        let blockTags: Set<String> = ["p", "div", "br", "tr", "section", "article", "header", "footer", "aside",
                                      "ul", "ol", "table", "blockquote", "pre", "hr", "title", "dt", "dd"]
        var cellsInRow = 0
        // After a list marker or a cell separator, the source's line breaks and indentation are dropped.
        var trimLeading = false
        while index < html.endIndex {
            let c = html[index]
            if c == "<" {
                if html[index...].hasPrefix("<!--") {
                    index = html[index...].range(of: "-->")?.upperBound ?? html.endIndex
                    continue
                }
                guard let close = html[index...].firstIndex(of: ">") else { break }
                let inside = html[html.index(after: index)..<close]
                let isEnd = inside.hasPrefix("/")
                let name = inside.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
                index = html.index(after: close)
                if !isEnd && (name == "script" || name == "style") {
                    index = html[index...].range(of: "</\(name)", options: .caseInsensitive)?.upperBound ?? html.endIndex
                    if let end = html[index...].firstIndex(of: ">") { index = html.index(after: end) }
                    continue
                }
                if name.count == 2, name.first == "h", let level = Int(String(name.last!)), (1...6).contains(level) {
                    out += isEnd ? "\n\n" : "\n\n" + String(repeating: "#", count: level) + " "
                } else if name == "li" {
                    out += isEnd ? "\n" : "\n- "
                    trimLeading = !isEnd
                } else if name == "td" || name == "th" {
                    if !isEnd {
                        if cellsInRow > 0 {
                            while let last = out.last, last.isWhitespace { out.removeLast() }
                            out += " | "
                        }
                        cellsInRow += 1
                        trimLeading = true
                    }
                } else if blockTags.contains(name) {
                    if name == "tr" { cellsInRow = 0 }
                    // A paragraph inside a list item starts on the marker's line.
                    if !(trimLeading && out.hasSuffix("- ")) { out += "\n" }
                }
                continue
            }
            if c == "&", let semicolon = html[index...].prefix(10).firstIndex(of: ";") {
                let entity = String(html[html.index(after: index)..<semicolon])
                if let decoded = decodeEntity(entity) {
                    out.append(decoded)
                    index = html.index(after: semicolon)
                    continue
                }
            }
            if trimLeading && c.isWhitespace {
                index = html.index(after: index)
                continue
            }
            trimLeading = false
            out.append(c)
            index = html.index(after: index)
        }
        // Collapse the runs of blank lines tag removal leaves behind.
        var lines: [Substring] = []
        var blank = 0
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { blank += 1; if blank > 1 { continue } } else { blank = 0 }
            lines.append(trimmed.isEmpty ? "" : line)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func decodeEntity(_ entity: String) -> Character? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        default:
            if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let v = UInt32(entity.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) { return Character(s) }
            if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let s = Unicode.Scalar(v) { return Character(s) }
            return nil
        }
    }
}
