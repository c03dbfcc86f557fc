/// The query line being edited: its text and a cursor, with the editing keys of a shell
/// (readline's Ctrl-A/E/W/U, arrows, Home/End, Backspace/Delete).
public struct LineEditor: Equatable, Sendable {
    /// The text, as characters so the cursor never splits a grapheme cluster.
    public private(set) var characters: [Character]
    /// Position of the cursor: 0…`characters.count`.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// Applies an editing key. Returns whether the key was an editing key (consumed), and
    /// `changed` tells whether the text changed.
    public mutating func apply(_ key: Key) -> (consumed: Bool, changed: Bool) {
        let count = characters.count
        switch key {
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .text(let text):
            let inserted = Array(text)
            characters.insert(contentsOf: inserted, at: cursor)
            cursor += inserted.count
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace, .control("h"):
            guard cursor > 0 else { break }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { break }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .control("k"):
            characters.removeSubrange(cursor...)
        case .control("w"):
            // Deletes the word before the cursor and the blanks after it, as readline does.
            var start = cursor
            while start > 0, characters[start - 1].isWhitespace { start -= 1 }
            while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return (false, false)
        }
        // Keys that change the text insert or delete (movement keys change neither), so the length
        // tells whether the text changed.
        return (true, characters.count != count)
    }

    /// Replaces the whole text, with the cursor at its end (history recall).
    public mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
    }
}
