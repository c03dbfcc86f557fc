/// What the screen should show: a grid of cells that `TUIRenderer.render(_:)` fills from a
/// `TUIState` and the ncurses layer draws, diffing against the previous buffer so only changed
/// cells are redrawn.
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

    /// A terminal colour (the eight ANSI colours, numbered as curses numbers them), or the
    /// terminal's own default. Without colour support, or with colour off (`--color never`, or
    /// `NO_COLOR` under `auto`), colours are not drawn, so nothing may be told by colour alone.
    public enum Color: Int8, Hashable, Sendable, CaseIterable {
        case `default` = -1
        case black = 0, red, green, yellow, blue, magenta, cyan, white
    }

    /// How text is drawn: attributes and colours.
    public struct Pen: Hashable, Sendable {
        public var style: Style
        public var foreground: Color
        public var background: Color

        public init(_ style: Style = [], foreground: Color = .default, background: Color = .default) {
            self.style = style
            self.foreground = foreground
            self.background = background
        }

        public static let plain = Pen()
    }

    /// One screen cell. `character` is nil for the right half of a wide character.
    public struct Cell: Equatable, Sendable {
        public var character: Character?
        public var pen: Pen
        public var style: Style { pen.style }
        public static let blank = Cell(character: " ", pen: .plain)
    }

    /// A cell position.
    public struct Position: Equatable, Sendable {
        public var row: Int
        public var column: Int
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor goes (the query line's insertion point); nil hides it.
    public var cursor: Position?

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
        put(text, row: row, column: column, width: width, pen: Pen(style))
    }

    /// Writes `text` with a pen (attributes and colours); see ``put(_:row:column:width:style:)``.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, pen: Pen) -> Int {
        guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
        let limit = min(columns - column, width ?? Int.max)
        var used = 0
        for character in text {
            let drawn: Character = character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) ? "\u{FFFD}" : character
            let w = DisplayWidth.of(drawn)
            if w == 0 { continue }
            guard used + w <= limit else { break }
            let index = row * columns + column + used
            // Overwriting half of a wide character leaves its other half blank.
            if cells[index].character == nil, index > 0 { cells[index - 1] = Cell(character: " ", pen: cells[index - 1].pen) }
            if w == 1, index + 1 < cells.count, column + used + 1 < columns, cells[index + 1].character == nil {
                cells[index + 1] = Cell(character: " ", pen: cells[index + 1].pen)
            }
            cells[index] = Cell(character: drawn, pen: pen)
            if w == 2 {
                if index + 2 < cells.count, column + used + 2 < columns, cells[index + 2].character == nil {
                    cells[index + 2] = Cell(character: " ", pen: cells[index + 2].pen)
                }
                cells[index + 1] = Cell(character: nil, pen: pen)
            }
            used += w
        }
        return used
    }

    /// Fills a row segment with blanks in `style` (e.g. a selection bar).
    public mutating func fill(row: Int, from column: Int = 0, width: Int? = nil, style: Style = []) {
        fill(row: row, from: column, width: width, pen: Pen(style))
    }

    /// Fills a row segment with blanks drawn with `pen`.
    public mutating func fill(row: Int, from column: Int = 0, width: Int? = nil, pen: Pen) {
        guard row >= 0, row < rows, column >= 0, column < columns else { return }
        let end = min(columns, column + (width ?? columns))
        if column > 0, cells[row * columns + column].character == nil {
            cells[row * columns + column - 1] = Cell(character: " ", pen: cells[row * columns + column - 1].pen)
        }
        if end < columns, cells[row * columns + end].character == nil {
            cells[row * columns + end] = Cell(character: " ", pen: cells[row * columns + end].pen)
        }
        for c in column..<end { cells[row * columns + c] = .blank; cells[row * columns + c].pen = pen }
    }

    /// The text of one row as drawn (continuation cells omitted), for tests and text captures.
    public func line(_ row: Int) -> String {
        var out = ""
        for c in 0..<columns { if let ch = self[row, c].character { out.append(ch) } }
        return out
    }
}
