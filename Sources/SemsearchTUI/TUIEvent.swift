import SemsearchKit

/// Something that happened, fed to the state machine: a key, a resize, or an answer from a
/// background job (search, compare, preview).
public enum TUIEvent: Sendable {
    case key(Key)
    case resize(rows: Int, columns: Int)
    case answered(SearchAnswer)
    case compared(CompareGrid)
    case previewLoaded(Preview)
}

/// Work the state machine asks for; the session runs searches and reads files off the UI thread
/// and feeds the outcome back as events, and the terminal layer runs the rest.
public enum TUIEffect: Equatable, Sendable {
    /// Search `query` at `cell`; the answer carries `generation`.
    case search(SearchRequest)
    /// Search `query` in every cell of the grid.
    case compare(CompareRequest)
    case loadPreview(PreviewRequest)
    /// Suspend the screen and open the file at the line in `$VISUAL`/`$EDITOR`.
    case openEditor(path: String, line: Int)
    /// Picker mode: end the screen and print `path:line` on stdout.
    case printSelection(String)
    case quit
}

/// A search at one cell.
public struct SearchRequest: Equatable, Sendable {
    public var generation: Int
    public var query: String
    public var layer: Int
    public var dim: Int
    public var calibrated: Bool
    public var k: Int
}

/// A search in every cell of `layers` × `dims`, ranked against `reference`.
public struct CompareRequest: Equatable, Sendable {
    public var generation: Int
    public var query: String
    public var layers: [Int]
    public var dims: [Int]
    public var reference: MatryoshkaCell
    public var calibrated: Bool
    public var k: Int
}
