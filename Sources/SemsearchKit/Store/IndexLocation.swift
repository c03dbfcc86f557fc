import SemsearchCore
import SemsearchEncoder
import Foundation

/// Where the index lives when no `--db` is given.
public enum IndexLocation {
    /// `$SEMSEARCH_DB` (a path or a `postgres://` URL), else `$XDG_DATA_HOME/semsearch/index.sqlite`, else `~/.local/share/semsearch/index.sqlite`.
    public static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["SEMSEARCH_DB"], !path.isEmpty { return path }
        return (DataDirectory.path as NSString).appendingPathComponent("index.sqlite")
    }

    /// Opens (with `create`, creates) the index at `address`: a `postgres://` or `postgresql://`
    /// URL (``PostgresAddress``), else a SQLite file's path.
    public static func open(_ address: String, create: Bool) throws -> any IndexStore {
        if PostgresAddress.isPostgresURL(address) { return try PostgresIndexStore(url: address, create: create) }
        return try SQLiteIndexStore(path: address, create: create)
    }

    /// `address` as it may be shown: a URL without its password, a path as it is.
    public static func displayed(_ address: String) -> String {
        guard PostgresAddress.isPostgresURL(address) else { return address }
        return (try? PostgresAddress(address).description) ?? "a PostgreSQL URL"
    }
}
