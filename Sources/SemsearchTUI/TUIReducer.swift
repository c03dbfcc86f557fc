import SemsearchKit

/// The TUI's state machine: `reduce(state, event)` is the next state and the work it asks for.
/// Pure — no terminal, no clock, no index — so tests drive it key by key.
///
/// Keys (also in the help screen and the manual page):
/// - typing edits the query (arrows, Home/End, Ctrl-A/E/W/U/K, Backspace, Delete); every change
///   searches again.
/// - Up/Down: query history while the query line has focus, the selection in the list; Tab
///   switches focus; Ctrl-N/Ctrl-P and PgUp/PgDn move the selection from either focus (not in the
///   compare view).
/// - Shift-Up/Down (or F5/F6) step the layer, Shift-Left/Right (or F7/F8) the dim; Ctrl-R
///   switches early layers' adapters off and on.
/// - Ctrl-G (or F2) opens and closes the compare grid; there the arrows move the cursor and
///   Enter searches the cursor's cell.
/// - Enter opens the selection in the editor (picker mode: prints it); `?` (on an empty query or
///   in the list) or F1 shows help; Esc or Ctrl-C quits.
public enum TUIReducer {
    /// The next state after `event`, and the effects to run.
    public static func reduce(_ state: TUIState, _ event: TUIEvent) -> (TUIState, [TUIEffect]) {
        var next = state
        let effects = next.apply(event)
        return (next, effects)
    }
}

extension TUIState {
    /// Applies `event` in place and returns the effects to run (see ``TUIReducer``).
    public mutating func apply(_ event: TUIEvent) -> [TUIEffect] {
        switch event {
        case .key(let key): return press(key)
        case .resize(let rows, let columns):
            self.rows = rows
            self.columns = columns
            keepSelectionVisible()
            return []
        case .answered(let answer): return receive(answer)
        case .compared(let grid):
            guard grid.generation >= (self.grid?.generation ?? -1), grid.generation <= generation else { return [] }
            self.grid = grid
            return []
        case .previewLoaded(let preview):
            guard selectedResult?.chunk.id == preview.chunkID else { return [] }
            self.preview = preview
            return []
        }
    }

    // MARK: - Keys

    private mutating func press(_ key: Key) -> [TUIEffect] {
        notice = nil
        if key == .control("c") || key == .escape {
            history.record(query)
            return [.quit]
        }
        if showingHelp {
            showingHelp = false
            return []
        }
        switch key {
        case .function(1):
            showingHelp = true
            return []
        case .character("?") where !hasQuery || focus == .results:
            showingHelp = true
            return []
        case .control("g"), .function(2):
            mode = mode == .results ? .compare : .results
            if mode == .compare {
                gridCursor = (summary.layers.firstIndex(of: cell.layer) ?? 0, summary.dims.firstIndex(of: cell.dim) ?? 0)
            }
            return request()
        case .shiftUp, .function(5): return stepLayer(by: -1)
        case .shiftDown, .function(6): return stepLayer(by: 1)
        case .shiftLeft, .function(7): return stepDim(by: -1)
        case .shiftRight, .function(8): return stepDim(by: 1)
        case .control("r"):
            guard !summary.adapterLayers.isEmpty else {
                notice = "this index has no adapters (see 'semsearch calibrate')"
                return []
            }
            calibrated.toggle()
            return request()
        default: break
        }
        return mode == .compare ? pressInCompare(key) : pressInResults(key)
    }

    private mutating func pressInResults(_ key: Key) -> [TUIEffect] {
        switch key {
        case .tab, .backTab:
            focus = focus == .query && !results.isEmpty ? .results : .query
            if focus == .results { history.record(query) }
            return []
        case .enter: return choose()
        case .control("n"): return moveSelection(by: 1)
        case .control("p"): return moveSelection(by: -1)
        case .pageDown: return moveSelection(by: TUILayout(rows: rows, columns: columns).visibleResults)
        case .pageUp: return moveSelection(by: -TUILayout(rows: rows, columns: columns).visibleResults)
        case .up, .down:
            if focus == .results { return moveSelection(by: key == .down ? 1 : -1) }
            let recalled = key == .up ? history.older(than: editor.text) : history.newer()
            guard let recalled, recalled != editor.text else { return [] }
            editor.replace(with: recalled)
            return queryChanged()
        case .home where focus == .results: return moveSelection(by: -selection)
        case .end where focus == .results: return moveSelection(by: results.count)
        default:
            focus = .query
            return edit(key)
        }
    }

    private mutating func pressInCompare(_ key: Key) -> [TUIEffect] {
        switch key {
        case .up, .down: return stepLayer(by: key == .up ? -1 : 1)
        case .left, .right: return stepDim(by: key == .left ? -1 : 1)
        case .enter:
            // Searches the cursor's cell in the results view.
            cell = gridCursorCell
            mode = .results
            return request()
        default: return edit(key)
        }
    }

    private mutating func edit(_ key: Key) -> [TUIEffect] {
        let outcome = editor.apply(key)
        guard outcome.changed else { return [] }
        history.stopBrowsing()
        return queryChanged()
    }

    private mutating func queryChanged() -> [TUIEffect] {
        selection = 0
        scroll = 0
        return request()
    }

    // MARK: - Matryoshka cell

    private mutating func stepLayer(by step: Int) -> [TUIEffect] {
        if mode == .compare {
            gridCursor.layer = Self.stepped(gridCursor.layer, by: step, count: summary.layers.count)
            return []
        }
        guard let next = Self.stepped(cell.layer, by: step, in: summary.layers) else { return [] }
        cell.layer = next
        return request()
    }

    private mutating func stepDim(by step: Int) -> [TUIEffect] {
        if mode == .compare {
            gridCursor.dim = Self.stepped(gridCursor.dim, by: step, count: summary.dims.count)
            return []
        }
        guard let next = Self.stepped(cell.dim, by: step, in: summary.dims) else { return [] }
        cell.dim = next
        return request()
    }

    /// An index moved by `step`, kept within 0..<count.
    private static func stepped(_ index: Int, by step: Int, count: Int) -> Int { min(max(0, index + step), count - 1) }

    /// The value `step` places from `value` in `values`; nil at either end (nothing to search).
    private static func stepped(_ value: Int, by step: Int, in values: [Int]) -> Int? {
        guard let index = values.firstIndex(of: value) else { return nil }
        let target = stepped(index, by: step, count: values.count)
        return target == index ? nil : values[target]
    }

    // MARK: - Searching

    /// A new generation and the search the current mode needs (nothing for an empty query).
    private mutating func request() -> [TUIEffect] {
        generation += 1
        guard hasQuery else {
            preview = nil
            return []
        }
        switch mode {
        case .results:
            return [.search(SearchRequest(generation: generation, query: query, layer: cell.layer, dim: cell.dim,
                                          calibrated: calibrated, k: Self.resultCount))]
        case .compare:
            return [.compare(CompareRequest(generation: generation, query: query, layers: summary.layers, dims: summary.dims,
                                            reference: summary.fullCell, calibrated: calibrated, k: Self.compareDepth))]
        }
    }

    private mutating func receive(_ answer: SearchAnswer) -> [TUIEffect] {
        // A stale answer (older than the one shown, or for a request superseded before it was
        // shown) never replaces a newer one.
        guard answer.generation > (self.answer?.generation ?? -1), answer.generation <= generation else { return [] }
        let sameList = self.answer?.query == answer.query && self.answer?.cell == answer.cell
        self.answer = answer
        if let watching = answer.watcherRunning { summary.watcherRunning = watching }
        if !sameList {
            selection = 0
            scroll = 0
        }
        selection = min(selection, max(0, answer.results.count - 1))
        if answer.results.isEmpty && focus == .results { focus = .query }
        return previewEffects()
    }

    // MARK: - Selection

    private mutating func moveSelection(by step: Int) -> [TUIEffect] {
        guard !results.isEmpty else { return [] }
        selection = min(max(0, selection + step), results.count - 1)
        keepSelectionVisible()
        return previewEffects()
    }

    private mutating func keepSelectionVisible() {
        let visible = TUILayout(rows: rows, columns: columns).visibleResults
        if selection < scroll { scroll = selection }
        if selection >= scroll + visible { scroll = selection - visible + 1 }
        scroll = max(0, min(scroll, max(0, results.count - visible)))
    }

    private mutating func previewEffects() -> [TUIEffect] {
        guard let result = selectedResult else {
            preview = nil
            return []
        }
        if preview?.chunkID == result.chunk.id { return [] }
        return [.loadPreview(PreviewRequest(chunkID: result.chunk.id, path: result.chunk.path,
                                            chunkLines: result.chunk.lines,
                                            context: Self.previewContext, indexedText: result.chunk.text))]
    }

    private mutating func choose() -> [TUIEffect] {
        guard let result = selectedResult else {
            notice = hasQuery ? "nothing to open" : "type a query first"
            return []
        }
        // The snippet's line: where the query's words are, which is where the user wants to land.
        let line = result.snippet.line
        history.record(query)
        if picker { return [.printSelection("\(result.chunk.path):\(line)")] }
        return [.openEditor(path: result.chunk.path, line: line)]
    }
}
