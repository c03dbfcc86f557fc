/// A key the user pressed, as the TUI's state machine sees it: the ncurses layer translates raw
/// key codes into these, and tests drive the state machine with them directly.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, CJK, emoji…).
    case character(Character)
    /// Several printable characters read at once (a paste), inserted as one edit and one search.
    case text(String)
    /// A control key: `.control("a")` is Ctrl-A.
    case control(Character)
    case up, down, left, right
    /// Shift with an arrow (steps the 2D Matryoshka cell).
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete
    /// A function key, F1…F12.
    case function(Int)

    /// The key for a control character code (1…26 → Ctrl-A…Ctrl-Z), or the named key it is.
    public static func fromControlCode(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(code + 96)!))
        default: return nil
        }
    }
}
