/// The pens of the TUI. Colour only ever repeats what text or an attribute already says, so the
/// monochrome screen (no colour support, `NO_COLOR`) loses nothing.
enum TUIPalette {
    static let plain = ScreenBuffer.Pen()
    static let dim = ScreenBuffer.Pen(.dim)
    static let bold = ScreenBuffer.Pen(.bold)
    static let prompt = ScreenBuffer.Pen(.bold, foreground: .cyan)
    static let path = ScreenBuffer.Pen(.bold, foreground: .blue)
    static let bar = ScreenBuffer.Pen(foreground: .green)
    static let match = ScreenBuffer.Pen([.bold, .underline], foreground: .yellow)
    static let chunkMarker = ScreenBuffer.Pen(.bold, foreground: .cyan)
    static let error = ScreenBuffer.Pen(.bold, foreground: .red)
    static let status = ScreenBuffer.Pen(.reverse)
    static let better = ScreenBuffer.Pen(.bold, foreground: .green)
    static let worse = ScreenBuffer.Pen(.bold, foreground: .red)
    static let new = ScreenBuffer.Pen(.bold, foreground: .yellow)

    /// The heatmap pen of a compare cell by overlap@10 (out of `k`).
    static func heat(_ overlap: Int, of k: Int) -> ScreenBuffer.Pen {
        let fraction = Double(overlap) / Double(max(1, k))
        let background: ScreenBuffer.Color = fraction >= 0.9 ? .green : fraction >= 0.6 ? .yellow : fraction >= 0.3 ? .magenta : .red
        return ScreenBuffer.Pen(foreground: .black, background: background)
    }

    /// One eighth-block glyph per tenth of overlap, so the heatmap reads without colour too.
    static func shade(_ overlap: Int, of k: Int) -> String {
        let glyphs: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let index = Int((Double(overlap) / Double(max(1, k)) * 8).rounded())
        return String(glyphs[min(8, max(0, index))])
    }

    /// A bar of `width` cells for a score in [0, 1] (a result's relevance), in eighths.
    static func scoreBar(_ score: Float, width: Int) -> String {
        let eighths = Int((Double(min(1, max(0, score))) * Double(width * 8)).rounded())
        let partial: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { bar.append(partial[eighths % 8 - 1]) }
        return bar + String(repeating: " ", count: max(0, width - bar.count))
    }
}
