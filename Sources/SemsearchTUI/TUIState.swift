import SemsearchKit

/// Everything the TUI shows, as a value: `TUIReducer` computes the next state from an event, and
/// `TUIRenderer` draws a state into a `ScreenBuffer`. Nothing here touches the terminal or the index.
public struct TUIState: Sendable {
    /// Which part takes the arrow keys.
    public enum Focus: Sendable, Equatable { case query, results }
    /// The main screen: results with a preview, or the layers × dims grid.
    public enum Mode: Sendable, Equatable { case results, compare }

    public var summary: IndexOverview
    public var rows: Int
    public var columns: Int
    public var editor = LineEditor()
    public var history: QueryHistory
    public var focus = Focus.query
    public var mode = Mode.results
    public var showingHelp = false
    /// The (layer, dim) searched in the results view.
    public var cell: MatryoshkaCell
    /// Search early layers through their adapters.
    public var calibrated = true
    /// Picker mode (`--print-selection`): Enter prints the selection instead of opening an editor.
    public var picker = false

    /// The generation of the newest request sent; every change of query or cell makes a new one.
    public internal(set) var generation = 0
    /// The answer shown (nil before the first one).
    public internal(set) var answer: SearchAnswer?
    /// The compare grid shown.
    public internal(set) var grid: CompareGrid?
    /// Selected result (index into the answer's results) and the first one visible.
    public internal(set) var selection = 0
    public internal(set) var scroll = 0
    /// The compare view's cursor: indices into `summary.layers` and `summary.dims`.
    public internal(set) var gridCursor: (layer: Int, dim: Int) = (0, 0)
    public internal(set) var preview: Preview?
    /// A message shown once on the status line (e.g. why nothing can be opened).
    public internal(set) var notice: String?

    /// Results asked for per search in the results view, and in each compare cell.
    public static let resultCount = 50
    public static let compareDepth = 10
    /// Lines of file shown around a chunk in the preview.
    public static let previewContext = 40
    /// The smallest screen the layout is drawn on; below it a message asks for more room.
    public static let minimumRows = 24
    public static let minimumColumns = 80

    public init(summary: IndexOverview, rows: Int = 24, columns: Int = 80, cell: MatryoshkaCell? = nil,
                calibrated: Bool = true, picker: Bool = false, history: [String] = []) {
        self.summary = summary
        self.rows = rows
        self.columns = columns
        self.cell = cell ?? summary.fullCell
        self.calibrated = calibrated
        self.picker = picker
        self.history = QueryHistory(history)
        gridCursor = (summary.layers.firstIndex(of: self.cell.layer) ?? 0, summary.dims.firstIndex(of: self.cell.dim) ?? 0)
    }

    public var query: String { editor.text }

    /// Whether the query has anything to search.
    public var hasQuery: Bool { !editor.text.allSatisfy(\.isWhitespace) }

    /// Whether an answer newer than the one shown is still on its way.
    public var isSearching: Bool {
        guard hasQuery else { return false }
        switch mode {
        case .results: return (answer?.generation ?? -1) < generation
        case .compare: return (grid?.generation ?? -1) < generation || grid?.complete == false
        }
    }

    /// The results listed: the shown answer's (nothing for an empty query).
    public var results: [SearchResult] { hasQuery ? answer?.results ?? [] : [] }

    public var selectedResult: SearchResult? {
        let results = self.results
        return results.indices.contains(selection) ? results[selection] : nil
    }

    /// The compare cursor's cell.
    public var gridCursorCell: MatryoshkaCell {
        MatryoshkaCell(layer: summary.layers[gridCursor.layer], dim: summary.dims[gridCursor.dim])
    }

    /// Whether the screen is too small for the layout.
    public var isTooSmall: Bool { rows < Self.minimumRows || columns < Self.minimumColumns }
}
