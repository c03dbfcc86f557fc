import SemsearchKit

/// Draws a `TUIState` into a `ScreenBuffer`: `render(state)` is a pure function, so what a test
/// sees in the buffer is exactly what the terminal will show.
public enum TUIRenderer {
    /// The screen for `state`.
    public static func render(_ state: TUIState) -> ScreenBuffer {
        var buffer = ScreenBuffer(rows: state.rows, columns: state.columns)
        if state.isTooSmall {
            drawTooSmall(state, into: &buffer)
            return buffer
        }
        switch state.mode {
        case .results: ResultsView.draw(state, into: &buffer)
        case .compare: CompareView.draw(state, into: &buffer)
        }
        drawStatusLine(state, into: &buffer)
        drawQueryLine(state, into: &buffer)
        if state.showingHelp { HelpView.draw(state, into: &buffer) }
        return buffer
    }

    static let prompt = "❯ "

    /// The query line: prompt, text scrolled so the cursor shows, and what is going on at the right.
    static func drawQueryLine(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let cellText = state.mode == .compare ? "compare" : "\(state.cell)"
        let activity = state.isSearching ? "searching… " : ""
        let right = activity + cellText
        let rightWidth = DisplayWidth.of(right)
        let promptWidth = buffer.put(prompt, row: 0, column: 0, pen: TUIPalette.prompt)
        let room = max(1, state.columns - promptWidth - rightWidth - 2)
        // Scroll the text so the cursor stays inside the room.
        let characters = state.editor.characters
        var start = 0
        var cursorColumn = characters[..<state.editor.cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while cursorColumn >= room, start < state.editor.cursor {
            cursorColumn -= DisplayWidth.of(characters[start])
            start += 1
        }
        buffer.put(TextLayout.printable(String(characters[start...])), row: 0, column: promptWidth, width: room)
        buffer.put(right, row: 0, column: state.columns - rightWidth, pen: TUIPalette.dim)
        if state.focus == .query && !state.showingHelp {
            buffer.cursor = ScreenBuffer.Position(row: 0, column: promptWidth + cursorColumn)
        }
    }

    /// The status line: model, cell, method, situate mode, result count, latency, the selected
    /// result's page, slide, chapter, message or paragraph, index size, adapter — or a one-off notice.
    static func drawStatusLine(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let row = state.rows - 1
        buffer.fill(row: row, pen: TUIPalette.status)
        if let notice = state.notice {
            buffer.put(" " + notice, row: row, column: 0, pen: TextLayout.merged(TUIPalette.status, .init(.bold)))
            return
        }
        let summary = state.summary
        let cell = state.mode == .compare ? state.gridCursorCell : state.cell
        var parts: [(text: String, priority: Int)] = [
            (summary.modelName, 3),
            ("L\(cell.layer)/\(summary.layers.last ?? cell.layer)", 0),
            ("d\(cell.dim)/\(summary.dims.last ?? cell.dim)", 0),
            (method(state, cell: cell), 1),
            ("situate \(summary.situate)", 4),
        ]
        if state.mode == .results, state.hasQuery, let answer = state.answer {
            parts.append((TextLayout.counted(answer.results.count, "result"), 1))
            parts.append((TextLayout.milliseconds(answer.milliseconds), 0))
            if let location = state.selectedResult?.chunk.location { parts.append((location.description, 1)) }
        } else if state.mode == .compare, let grid = state.grid, state.hasQuery {
            parts.append(("\(grid.entries.count)/\(summary.layers.count * summary.dims.count) cells", 1))
            if let entry = grid.entries[cell] { parts.append((TextLayout.milliseconds(entry.milliseconds), 0)) }
        }
        parts.append((TextLayout.counted(summary.files, "file") + " " + TextLayout.bytes(summary.databaseBytes), 2))
        if summary.watcherRunning { parts.append(("watching", 2)) }
        parts.append((adapter(state, cell: cell), 1))
        // Drop the least important parts until the line fits.
        func line(_ parts: [(text: String, priority: Int)]) -> String { " " + parts.map(\.text).filter { !$0.isEmpty }.joined(separator: " │ ") }
        while DisplayWidth.of(line(parts)) > state.columns, let drop = parts.indices.max(by: { parts[$0].priority < parts[$1].priority }),
              parts[drop].priority > 0 {
            parts.remove(at: drop)
        }
        buffer.put(line(parts), row: row, column: 0, pen: TUIPalette.status)
    }

    /// How `cell` is searched: exact, or IVF with its probes.
    static func method(_ state: TUIState, cell: MatryoshkaCell) -> String {
        if state.mode == .results, let answer = state.answer, answer.cell == cell, state.hasQuery {
            if case .ivf = answer.method.vectors { return "IVF " + answer.method.description.dropFirst(4) }
            return answer.method.description
        }
        if state.mode == .compare { return "exact" }
        if let ivf = state.summary.ivfCell, ivf == cell, !(state.calibrated && state.summary.adapterLayers.contains(cell.layer)) {
            return "IVF nprobe \(state.summary.ivfProbes)/\(state.summary.ivfLists)"
        }
        return "exact"
    }

    /// Whether `cell`'s layer is searched through its adapter.
    static func adapter(_ state: TUIState, cell: MatryoshkaCell) -> String {
        guard state.summary.adapterLayers.contains(cell.layer) else {
            return "no adapter"
        }
        return state.calibrated ? "calibrated" : "raw"
    }

    static func drawTooSmall(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let lines = [
            "Terminal too small: \(state.columns)×\(state.rows).",
            "semsearch needs at least \(TUIState.minimumColumns)×\(TUIState.minimumRows).",
            "Enlarge it, or press Esc to quit.",
        ]
        let top = max(0, (state.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let width = DisplayWidth.of(line)
            buffer.put(line, row: top + i, column: max(0, (state.columns - width) / 2), pen: i == 0 ? TUIPalette.bold : TUIPalette.plain)
        }
    }
}
