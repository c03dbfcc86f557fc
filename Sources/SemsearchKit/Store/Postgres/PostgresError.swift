import Foundation

/// A statement or connection that PostgreSQL refused: its SQLSTATE (`""` for a connection that
/// never opened) and libpq's primary message, cut to its first line.
struct PostgresError: Error, CustomStringConvertible {
    var sqlState: String
    var message: String

    init(sqlState: String, message: String) {
        self.sqlState = sqlState
        // libpq's messages end in a newline and may add DETAIL/HINT lines; one line reaches the user.
        let lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.message = lines.first.map { $0.hasPrefix("ERROR:") ? String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) : $0 } ?? "unknown error"
    }

    var description: String { message }

    /// SQLSTATEs the store tells apart.
    static let undefinedTable = "42P01"
    static let undefinedFile = "58P01"
    static let insufficientPrivilege = "42501"
    static let featureNotSupported = "0A000"
    static let undefinedObject = "42704"
}
