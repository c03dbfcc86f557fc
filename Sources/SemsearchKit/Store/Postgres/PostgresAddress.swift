import Foundation

/// A `--db` that names a PostgreSQL database: a `postgres://` or `postgresql://` URL in libpq's own
/// syntax, so every libpq convention works unchanged (`PG*` environment variables for what the URL
/// leaves out, `~/.pgpass`, `?service=`, Unix-socket hosts as `%2Fpath` or `?host=/path`,
/// `?sslmode=`, several hosts). semsearch adds one query parameter of its own, `schema=NAME` (default
/// `semsearch`): the PostgreSQL schema that holds this index, so one database holds several indexes.
/// It is taken out before the URL reaches libpq, which refuses parameters it does not know.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// The URL handed to libpq (without `schema=`), password included.
    public let connectionURL: String
    /// The schema holding the index's tables.
    public let schema: String
    /// The URL as shown to the user: no password, whether in the user part or in `password=`.
    public let redacted: String

    /// The schema used when the URL names none.
    public static let defaultSchema = "semsearch"

    /// Whether `text` is a PostgreSQL URL rather than a file path.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; throws ``StoreError/failure(path:reason:)`` (with the password
    /// left out) when the schema parameter is not a plain identifier.
    public init(_ url: String) throws {
        let (base, query) = url.firstIndex(of: "?").map { (String(url[..<$0]), String(url[url.index(after: $0)...])) } ?? (url, "")
        var kept: [String] = [], shown: [String] = [], schema: String?
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true).map(String.init) {
            let name = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? parameter
            let value = parameter.split(separator: "=", maxSplits: 1).dropFirst().first.map { String($0).removingPercentEncoding ?? String($0) } ?? ""
            if name == "schema" { schema = value; continue }
            kept.append(parameter)
            shown.append(name == "password" ? "password=…" : parameter)
        }
        let join = { (parts: [String]) in parts.isEmpty ? "" : "?" + parts.joined(separator: "&") }
        connectionURL = base + join(kept)
        redacted = Self.withoutPassword(base) + join(shown)
        let name = schema ?? Self.defaultSchema
        guard Self.isPlainIdentifier(name) else {
            throw StoreError.failure(path: redacted, reason: "schema=\(name) is not a plain lower-case identifier (letters, digits, _; up to 63)")
        }
        self.schema = name
    }

    public var description: String { redacted + (schema == Self.defaultSchema ? "" : (redacted.contains("?") ? "&" : "?") + "schema=\(schema)") }

    /// `scheme://user:password@host/db` → `scheme://user@host/db`.
    private static func withoutPassword(_ base: String) -> String {
        guard let schemeEnd = base.range(of: "://") else { return base }
        let rest = base[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return base }
        let user = authority[..<at]
        let shownUser = user.firstIndex(of: ":").map { user[..<$0] } ?? user
        return String(base[..<schemeEnd.upperBound]) + shownUser + authority[at...] + rest[authorityEnd...]
    }

    /// Lower-case letters, digits and `_`, not starting with a digit, at most 63 bytes: a schema name
    /// that needs no quoting and reads the same in every SQL statement and channel name.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }
}
