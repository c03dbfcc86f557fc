import CNCurses
import Foundation

/// How many terminal columns text occupies, as the terminal will draw it (`wcwidth`): CJK and
/// emoji take two columns, combining marks none, control characters are not drawable.
///
/// `wcwidth` knows non-ASCII widths only under a UTF-8 character type: the process sets one at
/// start-up (`TerminalLocale.useUserLocaleWithUTF8()`); measuring never changes the locale.
public enum DisplayWidth {
    /// Columns of one character (grapheme cluster): 0, 1 or 2; unprintable characters count as 1
    /// because the buffer draws them as a replacement glyph.
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            let w = Int(wcwidth(wchar_t(bitPattern: scalar.value)))
            if w > 0 { width += w } else if w < 0 && width == 0 && scalar.properties.generalCategory != .format { width = 1 }
        }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { width = 2 }  // emoji presentation
        return min(2, width)
    }

    /// Columns of a whole string.
    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }
}
