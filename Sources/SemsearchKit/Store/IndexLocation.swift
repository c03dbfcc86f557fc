import SemsearchCore
import SemsearchEncoder
import Foundation

/// Where the index lives when no `--db` is given.
public enum IndexLocation {
    /// `$SEMSEARCH_DB`, else `$XDG_DATA_HOME/semsearch/index.sqlite`, else `~/.local/share/semsearch/index.sqlite`.
    public static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["SEMSEARCH_DB"], !path.isEmpty { return path }
        return (DataDirectory.path as NSString).appendingPathComponent("index.sqlite")
    }

    /// Opens (with `create`, creates) the index at `address`: today a SQLite file's path.
    public static func open(_ address: String, create: Bool) throws -> any IndexStore {
        try SQLiteIndexStore(path: address, create: create)
    }
}
