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
