import Foundation
import SemsearchKit

/// The results view: a header, the ranked list and a preview of the selected chunk in its file.
enum ResultsView {
    static func draw(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let layout = TUILayout(rows: state.rows, columns: state.columns)
        drawHeader(state, layout: layout, into: &buffer)
        drawList(state, area: layout.list, into: &buffer)
        if layout.previewTitle.column > 0 {
            for row in layout.list.row..<(layout.list.row + layout.list.rows) {
                buffer.put("│", row: row, column: layout.previewTitle.column - 1, pen: TUIPalette.dim)
            }
        }
        drawPreview(state, title: layout.previewTitle, area: layout.preview, into: &buffer)
    }

    static func drawHeader(_ state: TUIState, layout: TUILayout, into buffer: inout ScreenBuffer) {
        let row = layout.header.row
        buffer.put(String(repeating: "─", count: state.columns), row: row, column: 0, pen: TUIPalette.dim)
        let summary = state.summary
        let text: String
        var pen = TUIPalette.dim
        if !state.hasQuery {
            text = "─ type to search \(TextLayout.counted(summary.chunks, "chunk")) in \(TextLayout.counted(summary.files, "file")) · ? help "
        } else if let error = state.answer?.error, state.answer?.generation == state.generation {
            text = "─ " + error + " "
            pen = TUIPalette.error
        } else if let answer = state.answer {
            let focusHint = state.focus == .query ? "Tab: list" : "Tab: query"
            text = "─ \(TextLayout.counted(answer.results.count, "result")) at \(answer.cell)\(answer.calibrated ? " calibrated" : "") · \(focusHint) · Enter: \(state.picker ? "pick" : "open") · Ctrl-G: compare "
        } else {
            text = "─ searching… "
        }
        buffer.put(TextLayout.truncated(text, width: state.columns), row: row, column: 0, pen: pen)
    }

    static func drawList(_ state: TUIState, area: TUILayout.Area, into buffer: inout ScreenBuffer) {
        let results = state.results
        guard !results.isEmpty else {
            if state.hasQuery, let answer = state.answer, answer.error == nil, !state.isSearching {
                buffer.put("  nothing found", row: area.row, column: area.column, pen: TUIPalette.dim)
            }
            return
        }
        let end = min(results.count, state.scroll + area.rows / TUILayout.rowsPerResult)
        for index in state.scroll..<max(state.scroll, end) {
            let result = results[index]
            let row = area.row + (index - state.scroll) * TUILayout.rowsPerResult
            let selected = index == state.selection
            let base: ScreenBuffer.Pen = selected && state.focus == .results ? .init(.reverse) : selected ? .init(.bold) : .plain
            buffer.fill(row: row, from: area.column, width: area.columns, pen: base)
            buffer.fill(row: row + 1, from: area.column, width: area.columns, pen: base)
            var column = area.column
            column += buffer.put(selected ? "▌" : " ", row: row, column: column, pen: TextLayout.merged(base, TUIPalette.chunkMarker))
            column += buffer.put(pad(String(result.rank), 3) + " ", row: row, column: column, pen: base)
            column += buffer.put(TUIPalette.scoreBar(result.relevance, width: 5), row: row, column: column, pen: TextLayout.merged(base, TUIPalette.bar))
            column += buffer.put(" " + scoreText(result.relevance) + "  ", row: row, column: column, pen: base)
            let room = area.column + area.columns - column
            // A file changed since it was indexed is marked: the lines shown may have moved. A
            // document's page, slide, chapter, message or paragraph follows its line.
            let location = "\(state.summary.displayPath(result.chunk.path)):\(result.snippet.line)"
                + (result.chunk.location.map { " " + $0.description } ?? "") + (result.isStale ? " (changed)" : "")
            let shown = TextLayout.truncatedLeft(location, width: max(8, room * 2 / 3))
            column += buffer.put(shown, row: row, column: column, width: room, pen: TextLayout.merged(base, TUIPalette.path))
            if !result.chunk.heading.isEmpty, column + 3 < area.column + area.columns {
                column += buffer.put("  ", row: row, column: column, pen: base)
                buffer.put(TextLayout.truncated(TextLayout.printable(result.chunk.heading), width: area.column + area.columns - column),
                           row: row, column: column, pen: base)
            }
            let indent = 11
            TextLayout.putHighlighted(result.snippet.lines.first ?? "", query: state.query, into: &buffer, row: row + 1,
                                      column: area.column + indent, width: area.columns - indent,
                                      pen: TextLayout.merged(base, TUIPalette.dim), highlight: TUIPalette.match)
        }
    }

    static func drawPreview(_ state: TUIState, title: TUILayout.Area, area: TUILayout.Area, into buffer: inout ScreenBuffer) {
        buffer.put(String(repeating: "─", count: title.columns), row: title.row, column: title.column, pen: TUIPalette.dim)
        guard let result = state.selectedResult else { return }
        let chunk = result.chunk
        // Until the file is read, the indexed chunk stands in.
        let preview = state.preview.flatMap { $0.chunkID == chunk.id ? $0 : nil }
            ?? Preview(indexedText: chunk.text, chunkID: chunk.id, path: chunk.path,
                       chunkLines: chunk.lines)
        var heading = "─ \(state.summary.displayPath(chunk.path))  " + (chunk.location.map { $0.description + " · " } ?? "")
            + "lines \(preview.chunkLines.lowerBound)–\(preview.chunkLines.upperBound) "
        if let note = preview.note { heading += "· \(note) " }
        buffer.put(TextLayout.truncated(heading, width: title.columns), row: title.row, column: title.column, pen: TUIPalette.dim)

        let lastLine = preview.firstLine + preview.lines.count - 1
        let top = firstShownLine(preview, snippetLine: result.snippet.line, rows: area.rows,
                                 width: area.columns - (max(3, String(lastLine).count) + 3))
        let numberWidth = max(3, String(lastLine).count)
        let gutter = numberWidth + 3
        var row = area.row
        var lineNumber = top
        // Long lines wrap (at a space when there is one), so prose reads whole.
        while row < area.row + area.rows, lineNumber <= lastLine {
            let inChunk = preview.chunkLines.contains(lineNumber)
            let text = TextLayout.printable(preview.lines[lineNumber - preview.firstLine])
            let pieces = TextLayout.wrapped(text, width: area.columns - gutter)
            for (i, piece) in pieces.enumerated() where row < area.row + area.rows {
                if i == 0 {
                    buffer.put(pad(String(lineNumber), numberWidth) + " ", row: row, column: area.column, pen: TUIPalette.dim)
                }
                buffer.put(inChunk ? "▌ " : "  ", row: row, column: area.column + numberWidth + 1, pen: TUIPalette.chunkMarker)
                if inChunk {
                    TextLayout.putHighlighted(piece, query: state.query, into: &buffer, row: row, column: area.column + gutter,
                                              width: area.columns - gutter, pen: TUIPalette.plain, highlight: TUIPalette.match)
                } else {
                    buffer.put(piece, row: row, column: area.column + gutter, width: area.columns - gutter, pen: TUIPalette.dim)
                }
                row += 1
            }
            lineNumber += 1
        }
    }

    /// Where the preview starts: up to two rows of context above the chunk, or above the snippet's
    /// line when that would fall out of view — counted in screen rows, since long lines wrap.
    static func firstShownLine(_ preview: Preview, snippetLine: Int, rows: Int, width: Int) -> Int {
        let lastLine = preview.firstLine + preview.lines.count - 1
        func rowsOf(_ line: Int) -> Int { TextLayout.wrapped(TextLayout.printable(preview.lines[line - preview.firstLine]), width: width).count }
        var anchor = min(max(preview.chunkLines.lowerBound, preview.firstLine), lastLine)
        var below = 0
        if snippetLine > anchor { for line in anchor..<min(snippetLine, lastLine + 1) { below += rowsOf(line) } }
        if below >= rows - 2 { anchor = min(max(snippetLine, preview.firstLine), lastLine) }
        var top = anchor, above = 0
        while top > preview.firstLine, above + rowsOf(top - 1) <= 2 {
            above += rowsOf(top - 1)
            top -= 1
        }
        return top
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func scoreText(_ score: Float) -> String { String(format: "%.3f", score) }
}
