import Foundation
import SemsearchKit

/// Small text helpers of the renderer.
enum TextLayout {
    /// `text` with tabs expanded and other control characters dropped, for one screen line.
    static func printable(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "\t" { out += "    " } else if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                continue
            } else { out.append(character) }
        }
        return out
    }

    /// `text` in pieces of at most `width` columns, broken after a space when the piece has one.
    static func wrapped(_ text: String, width: Int) -> [String] {
        guard width > 0, DisplayWidth.of(text) > width else { return [text] }
        var pieces: [String] = []
        var current: [Character] = [], used = 0, lastSpace: Int?
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width {
                if let space = lastSpace, space > 0 {
                    pieces.append(String(current[...space]))
                    current = Array(current[(space + 1)...])
                } else {
                    pieces.append(String(current))
                    current = []
                }
                used = current.reduce(0) { $0 + DisplayWidth.of($1) }
                lastSpace = current.lastIndex(of: " ")
            }
            current.append(character)
            used += w
            if character == " " { lastSpace = current.count - 1 }
        }
        pieces.append(String(current))
        return pieces
    }

    /// `text` cut to `width` columns with an ellipsis when it does not fit.
    static func truncated(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        guard DisplayWidth.of(text) > width else { return text }
        var out = "", used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// `text` cut from the left to `width` columns (long paths keep their file name).
    static func truncatedLeft(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        guard DisplayWidth.of(text) > width else { return text }
        var out: [Character] = [], used = 0
        for character in text.reversed() {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return "…" + String(out.reversed())
    }

    /// Writes `line` at (`row`, `column`) within `width`, the query's words in `highlight`.
    /// Returns the columns used.
    @discardableResult
    static func putHighlighted(_ line: String, query: String, into buffer: inout ScreenBuffer, row: Int, column: Int,
                               width: Int, pen: ScreenBuffer.Pen, highlight: ScreenBuffer.Pen) -> Int {
        let text = printable(line)
        var used = 0, position = text.startIndex
        for range in Snippet.matchRanges(in: text, query: query) where range.lowerBound >= position {
            used += buffer.put(String(text[position..<range.lowerBound]), row: row, column: column + used, width: width - used, pen: pen)
            used += buffer.put(String(text[range]), row: row, column: column + used, width: width - used, pen: merged(pen, highlight))
            position = range.upperBound
        }
        used += buffer.put(String(text[position...]), row: row, column: column + used, width: width - used, pen: pen)
        return used
    }

    /// `top` drawn over `base`: attributes add up, colours of `top` win where it has them.
    static func merged(_ base: ScreenBuffer.Pen, _ top: ScreenBuffer.Pen) -> ScreenBuffer.Pen {
        ScreenBuffer.Pen(base.style.union(top.style),
                         foreground: top.foreground == .default ? base.foreground : top.foreground,
                         background: top.background == .default ? base.background : top.background)
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// "1 file", "5,000 files".
    static func counted(_ count: Int, _ noun: String) -> String { "\(grouped(count)) \(noun)\(count == 1 ? "" : "s")" }

    /// Bytes as "812 KB", "41.3 MB".
    static func bytes(_ count: Int) -> String {
        let value = Double(count)
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        return String(format: "%.0f KB", value / 1e3)
    }

    /// Milliseconds as "12.3 ms" (two decimals under one).
    static func milliseconds(_ value: Double) -> String {
        String(format: value < 1 ? "%.2f ms" : "%.1f ms", value)
    }
}
