import SemsearchKit

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
