/// Where each part of the results view goes on a screen of a given size. Wide screens put the
/// preview beside the list, others below it; each result takes two rows (its heading line and
/// its first snippet line).
public struct TUILayout: Equatable, Sendable {
    /// A rectangle of the screen.
    public struct Area: Equatable, Sendable {
        public var row: Int
        public var column: Int
        public var rows: Int
        public var columns: Int
    }

    public var query: Area
    public var header: Area
    public var list: Area
    /// The preview's title line, then its text.
    public var previewTitle: Area
    public var preview: Area
    public var status: Area

    /// Screens at least this wide show the preview beside the list.
    public static let sideBySideColumns = 140
    public static let rowsPerResult = 2

    public init(rows: Int, columns: Int) {
        query = Area(row: 0, column: 0, rows: 1, columns: columns)
        header = Area(row: 1, column: 0, rows: 1, columns: columns)
        status = Area(row: rows - 1, column: 0, rows: 1, columns: columns)
        let body = max(0, rows - 3)
        if columns >= Self.sideBySideColumns {
            let listColumns = columns * 45 / 100
            list = Area(row: 2, column: 0, rows: body, columns: listColumns)
            previewTitle = Area(row: 2, column: listColumns + 1, rows: 1, columns: columns - listColumns - 1)
            preview = Area(row: 3, column: listColumns + 1, rows: max(0, body - 1), columns: columns - listColumns - 1)
        } else {
            var listRows = max(0, (body - 1) / 2)
            listRows -= listRows % Self.rowsPerResult
            list = Area(row: 2, column: 0, rows: listRows, columns: columns)
            previewTitle = Area(row: 2 + listRows, column: 0, rows: 1, columns: columns)
            preview = Area(row: 3 + listRows, column: 0, rows: max(0, body - listRows - 1), columns: columns)
        }
    }

    /// Results that fit in the list at once.
    public var visibleResults: Int { max(1, list.rows / Self.rowsPerResult) }
}
