import Foundation
import SemsearchKit

/// The compare view: a layers × dims heatmap of overlap@10 with the full model and each cell's
/// latency, and below it the cursor cell's results beside the full model's, rank changes marked.
enum CompareView {
    static let labelWidth = 5

    static func draw(_ state: TUIState, into buffer: inout ScreenBuffer) {
        let summary = state.summary
        let k = TUIState.compareDepth
        let reference = summary.fullCell
        let grid = state.hasQuery ? state.grid : nil
        let anyAdapter = !summary.adapterLayers.isEmpty
        var title = "─ overlap@\(k) with \(reference)"
        if let grid { title += " · embed \(TextLayout.milliseconds(grid.embedMilliseconds))" }
        if anyAdapter { title += state.calibrated ? " · * calibrated" : " · raw adapters off" }

        title += " · Enter: search cell · Ctrl-G: back "
        buffer.put(String(repeating: "─", count: state.columns), row: 1, column: 0, pen: TUIPalette.dim)
        buffer.put(TextLayout.truncated(title, width: state.columns), row: 1, column: 0, pen: TUIPalette.dim)
        if let error = grid?.error {
            buffer.put("  " + error, row: 2, column: 0, pen: TUIPalette.error)
            return
        }

        let cellWidth = min(16, (state.columns - labelWidth) / max(1, summary.dims.count))
        for (j, dim) in summary.dims.enumerated() {
            buffer.put("d\(dim)", row: 2, column: labelWidth + j * cellWidth + 1, pen: TUIPalette.bold)
        }
        for (i, layer) in summary.layers.enumerated() {
            let row = 3 + i
            let mark = state.calibrated && summary.adapterLayers.contains(layer) ? "*" : ""
            buffer.put("L\(layer)\(mark)", row: row, column: 0, pen: TUIPalette.bold)
            for (j, dim) in summary.dims.enumerated() {
                let cell = MatryoshkaCell(layer: layer, dim: dim)
                let column = labelWidth + j * cellWidth
                let isCursor = i == state.gridCursor.layer && j == state.gridCursor.dim
                var pen = TUIPalette.plain
                var text = "   ·"
                if let grid, let overlap = grid.overlap(at: cell, k: k), let entry = grid.entries[cell] {
                    let depth = grid.depth(k: k)
                    pen = TUIPalette.heat(overlap, of: depth)
                    text = TUIPalette.shade(overlap, of: depth) + ResultsView.pad("\(overlap)/\(depth)", 5) + " " + compactMilliseconds(entry.milliseconds)
                }
                if isCursor { pen = TextLayout.merged(pen, .init([.reverse, .bold])) }
                buffer.fill(row: row, from: column, width: cellWidth - 1, pen: pen)
                buffer.put(text, row: row, column: column, width: cellWidth - 1, pen: pen)
                if cell == state.cell { buffer.put("•", row: row, column: column + cellWidth - 2, pen: pen) }
            }
        }
        drawCost(state, row: 3 + summary.layers.count, into: &buffer)
        drawRankings(state, grid: grid, top: 4 + summary.layers.count, into: &buffer)
    }

    /// What the cursor cell and the full model cost in the index's vector format, against fp16:
    /// "vectors compact: L5/d256 184 B a chunk, L6/d384 384 B (fp16: 512 B, 768 B)"; the full model
    /// alone when the cursor is on it.
    static func drawCost(_ state: TUIState, row: Int, into buffer: inout ScreenBuffer) {
        let summary = state.summary
        let cell = state.gridCursorCell, reference = summary.fullCell
        guard let bytes = summary.vectorBytes(at: cell), let full = summary.vectorBytes(at: reference) else { return }
        var line = "vectors \(summary.vectorFormat): \(cell) \(bytes) B a chunk"
        if cell != reference { line += ", \(reference) \(full) B" }
        if summary.vectorFormat != "fp16" {
            line += cell != reference ? " (fp16: \(cell.dim * 2) B, \(reference.dim * 2) B)" : " (fp16: \(cell.dim * 2) B)"
        }
        buffer.put(TextLayout.truncated(line, width: state.columns), row: row, column: 0, pen: TUIPalette.dim)
    }

    /// "0.4ms", "12ms": latency in the few columns a grid cell has.
    static func compactMilliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1fms", value) : String(format: "%.0fms", value)
    }

    /// The cursor cell's top-k beside the full model's top-k.
    static func drawRankings(_ state: TUIState, grid: CompareGrid?, top: Int, into buffer: inout ScreenBuffer) {
        let k = TUIState.compareDepth
        let cell = state.gridCursorCell
        let reference = state.summary.fullCell
        let half = (state.columns - 1) / 2
        let rows = min(k, state.rows - 2 - (top + 1))
        guard rows > 0 else { return }
        let entry = grid?.entries[cell]
        let full = grid?.entries[reference]
        var leftTitle = "\(cell)"
        if let entry {
            leftTitle += entry.calibrated ? " calibrated:" : ":"
            if let grid, let overlap = grid.overlap(at: cell, k: k) { leftTitle += " \(overlap)/\(grid.depth(k: k)) shared," }
            leftTitle += " " + TextLayout.milliseconds(entry.milliseconds)
        }

        buffer.put(TextLayout.truncated(leftTitle, width: half), row: top, column: 0, pen: TUIPalette.bold)
        buffer.put(TextLayout.truncated("\(reference) (full model)", width: half), row: top, column: half + 1, pen: TUIPalette.bold)
        let fullIDs = Set(full?.results.prefix(k).map(\.chunk.id) ?? [])
        let cellIDs = Set(entry?.results.prefix(k).map(\.chunk.id) ?? [])
        for offset in 0..<rows {
            let row = top + 1 + offset
            buffer.put("│", row: row, column: half, pen: TUIPalette.dim)
            if let result = entry?.results.dropFirst(offset).first {
                let change: (String, ScreenBuffer.Pen)
                if !fullIDs.contains(result.chunk.id) {
                    change = ("new", TUIPalette.new)
                } else if let moved = grid?.rankChange(of: result.chunk.id, rank: result.rank, k: k), moved != 0 {
                    change = moved > 0 ? ("↑\(moved)", TUIPalette.better) : ("↓\(-moved)", TUIPalette.worse)
                } else {
                    change = ("=", TUIPalette.dim)
                }
                drawEntry(result, marker: change, state: state, row: row, column: 0, width: half, into: &buffer)
            }
            if let result = full?.results.dropFirst(offset).first {
                let marker = cellIDs.contains(result.chunk.id) ? ("✓", TUIPalette.dim) : ("✗", TUIPalette.worse)
                drawEntry(result, marker: marker, state: state, row: row, column: half + 1, width: state.columns - half - 1, into: &buffer)
            }
        }
    }

    static func drawEntry(_ result: SearchResult, marker: (String, ScreenBuffer.Pen), state: TUIState, row: Int, column: Int,
                          width: Int, into buffer: inout ScreenBuffer) {
        var used = buffer.put(ResultsView.pad(String(result.rank), 2) + " ", row: row, column: column, width: width)
        used += buffer.put(marker.0, row: row, column: column + used, width: width - used, pen: marker.1)
        used = max(used, 7)
        let location = "\(state.summary.displayPath(result.chunk.path)):\(result.snippet.line)"
        let room = width - used - 1
        used += buffer.put(TextLayout.truncatedLeft(location, width: room), row: row, column: column + used, width: room, pen: TUIPalette.path)
        if !result.chunk.heading.isEmpty && width - used > 4 {
            buffer.put(" " + TextLayout.truncated(TextLayout.printable(result.chunk.heading), width: width - used - 2),
                       row: row, column: column + used, width: width - used - 1, pen: TUIPalette.dim)
        }
    }
}
