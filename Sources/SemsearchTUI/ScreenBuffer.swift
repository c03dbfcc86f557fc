/// What the screen should show: a grid of cells that the TUI's `render(State)` fills and the
/// ncurses layer draws, diffing against the previous buffer so only changed cells are redrawn.
///
/// A wide character occupies its cell and a continuation cell to its right; text is clipped at the
/// buffer's edge or a given width, and a wide character that would straddle the edge is dropped.
public struct ScreenBuffer: Equatable, Sendable {
    /// Visual attributes of a cell.
    public struct Style: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Style(rawValue: 1 << 0)
        public static let reverse = Style(rawValue: 1 << 1)
        public static let dim = Style(rawValue: 1 << 2)
        public static let underline = Style(rawValue: 1 << 3)
    }

    /// One screen cell. `character` is nil for the right half of a wide character.
    public struct Cell: Equatable, Sendable {
        public var character: Character?
        public var style: Style
        public static let blank = Cell(character: " ", style: [])
    }

    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes `text` at (`row`, `column`), using at most `width` columns (default: to the right
    /// edge). Returns the number of columns written. Control characters show as U+FFFD.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, style: Style = []) -> Int {
        guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
        let limit = min(columns - column, width ?? Int.max)
        var used = 0
        for character in text {
            let drawn: Character = character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) ? "\u{FFFD}" : character
            let w = DisplayWidth.of(drawn)
            if w == 0 { continue }
            guard used + w <= limit else { break }
            let index = row * columns + column + used
            cells[index] = Cell(character: drawn, style: style)
            if w == 2 { cells[index + 1] = Cell(character: nil, style: style) }
            used += w
        }
        return used
    }

    /// Fills a row segment with blanks in `style` (e.g. a selection bar).
    public mutating func fill(row: Int, from column: Int = 0, width: Int? = nil, style: Style = []) {
        guard row >= 0, row < rows, column >= 0, column < columns else { return }
        let end = min(columns, column + (width ?? columns))
        for c in column..<end { cells[row * columns + c] = Cell(character: " ", style: style) }
    }

    /// The text of one row as drawn (continuation cells omitted), for tests and text captures.
    public func line(_ row: Int) -> String {
        var out = ""
        for c in 0..<columns { if let ch = self[row, c].character { out.append(ch) } }
        return out
    }
}
