import Foundation
import SemsearchCore
import SemsearchEncoder
import Synchronization

/// A ``Searcher`` for a long-lived reader (the MCP server, the TUI, pipe mode) that stays correct
/// while another process re-indexes. Each ``current()`` asks the store's ``IndexStore/changeToken()``
/// (SQLite: one `PRAGMA data_version`; PostgreSQL: the `NOTIFY`s already received, no round trip)
/// and, for a file, `stat`s it: when another connection has committed since, the searcher is
/// rebuilt over the same model (its cached vectors, IVF lists and adapters read anew); when the
/// database file was replaced, it is reopened; when it is gone, the call fails with
/// ``StoreError/empty(_:)``.
/// See docs/ARCHITECTURE.md §7.
public final class LiveSearcher: Sendable {
    private struct Current {
        var searcher: Searcher
        var changeToken: Int
        var identity: FileIdentity?
    }

    private let state: Mutex<Current>
    private let reloadCount = Atomic<Int>(0)

    /// Follows `searcher`'s database from now on.
    public init(_ searcher: Searcher) throws {
        state = Mutex(Current(searcher: searcher, changeToken: try searcher.store.changeToken(),
                              identity: searcher.store.databaseFile.flatMap { FileInfo(path: $0, followLinks: true)?.identity }))
    }

    /// How many times the searcher was rebuilt because the index changed.
    public var reloads: Int { reloadCount.load(ordering: .relaxed) }

    /// The searcher as of the index's latest commit.
    public func current() throws -> Searcher {
        try state.withLock { current in
            let old = current.searcher
            var identity: FileIdentity?
            if let path = old.store.databaseFile {
                guard let info = FileInfo(path: path, followLinks: true) else { throw StoreError.empty(path) }
                identity = info.identity
            }
            if let path = old.store.databaseFile, identity != current.identity {
                let store = try IndexLocation.open(path, create: false)
                current = Current(searcher: try Searcher(store: store, model: old.model, mixBeta: old.mixBeta),
                                  changeToken: try store.changeToken(), identity: identity)
                reloadCount.add(1, ordering: .relaxed)
            } else {
                let token = try old.store.changeToken()
                if token != current.changeToken {
                    current = Current(searcher: try Searcher(store: old.store, model: old.model, mixBeta: old.mixBeta),
                                      changeToken: token, identity: identity)
                    reloadCount.add(1, ordering: .relaxed)
                }
            }
            return current.searcher
        }
    }

    /// Whether `semsearch index --watch` keeps the index current (asked on every answer, a lock
    /// probe).
    public var watcherRunning: Bool {
        state.withLock { $0.searcher.store }.lockHolder(for: .watching) != nil
    }
}
