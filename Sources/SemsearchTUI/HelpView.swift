/// The help screen: every key, in a box over the current view. Any key but Esc and Ctrl-C (which
/// quit) closes it.
enum HelpView {
    /// (keys, what they do), in the order shown; the manual page lists the same.
    static let keys: [(String, String)] = [
        ("typing", "edit the query; results follow as you type"),
        ("← → Home End", "move in the query (Ctrl-A / Ctrl-E: start / end)"),
        ("Ctrl-W Ctrl-U Ctrl-K", "delete word before / to start / to end"),
        ("↑ ↓", "query history; in the list: move the selection"),
        ("Tab", "switch focus between the query and the list"),
        ("Ctrl-N Ctrl-P PgDn PgUp", "move the selection from the query or the list"),
        ("Shift-↑ Shift-↓ (F5 F6)", "layer −1 / +1 (2D Matryoshka)"),
        ("Shift-← Shift-→ (F7 F8)", "dim smaller / larger (32 … full)"),
        ("Ctrl-R", "early layers: calibrated adapters on / off"),
        ("Ctrl-G (F2)", "compare view: layers × dims vs the full model"),
        ("  arrows, Enter", "  move the grid cursor; search that cell"),
        ("Enter", "open the result in $VISUAL / $EDITOR at its line (documents: xdg-open)"),
        ("", "  (--print-selection: print path:line, exit)"),
        ("? (F1)", "this help (? on an empty query or in the list)"),
        ("Esc  Ctrl-C", "quit"),
    ]

    static func draw(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let keyWidth = keys.map { DisplayWidth.of($0.0) }.max() ?? 0
        let width = min(state.columns - 2, keyWidth + 3 + (keys.map { DisplayWidth.of($0.1) }.max() ?? 0) + 4)
        let height = min(state.rows - 2, keys.count + 4)
        let top = max(0, (state.rows - height) / 2), left = max(0, (state.columns - width) / 2)
        for row in top..<(top + height) { buffer.fill(row: row, from: left, width: width) }
        buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left)
        buffer.put(" semsearch keys ", row: top, column: left + 2, pen: TUIPalette.bold)
        for row in (top + 1)..<(top + height - 1) {
            buffer.put("│", row: row, column: left)
            buffer.put("│", row: row, column: left + width - 1)
        }
        buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + height - 1, column: left)
        buffer.put(" any key closes ", row: top + height - 1, column: left + width - 18, pen: TUIPalette.dim)
        for (i, entry) in keys.prefix(height - 4).enumerated() {
            let row = top + 2 + i
            buffer.put(entry.0, row: row, column: left + 2, width: keyWidth, pen: TUIPalette.bold)
            buffer.put(entry.1, row: row, column: left + 3 + keyWidth + 1, width: width - keyWidth - 6)
        }
    }
}
