import Foundation

extension PostgresIndexStore {
    /// Session advisory locks (``AdvisoryKey``), which the server drops with the connection, so a
    /// killed indexer holds nothing. An indexing run of roots takes each root's lock and the index's
    /// shared: indexers of different roots (on one machine or several) run at once, a second one on
    /// the same root stops at once naming the first. Whole-index writes take the index's lock
    /// exclusive; `--watch` its own.
    public func lock(for purpose: IndexLock.Purpose) throws -> IndexLock {
        let classID = Int64(AdvisoryKey.classID(schema: location.schema))
        var taken: [(key: Int32, shared: Bool)] = []
        func release() {
            _ = try? withConnection { connection in
                for lock in taken.reversed() {
                    try connection.execute(lock.shared ? "SELECT pg_advisory_unlock_shared($1::integer, $2::integer)"
                                                       : "SELECT pg_advisory_unlock($1::integer, $2::integer)", [.int(classID), .int(Int64(lock.key))])
                }
            }
        }
        let wanted: [(key: Int32, shared: Bool, what: String)]
        switch purpose {
        case .indexing: wanted = [(AdvisoryKey.index, false, "the index")]
        case .indexingRoots(let roots):
            wanted = [(AdvisoryKey.index, true, "the index")] + Set(roots).sorted().map { (AdvisoryKey.root($0), false, $0) }
        case .watching: wanted = [(AdvisoryKey.watching, false, "the index")]
        }
        for lock in wanted {
            let got = try withConnection { connection in
                try connection.execute(lock.shared ? "SELECT pg_try_advisory_lock_shared($1::integer, $2::integer)"
                                                   : "SELECT pg_try_advisory_lock($1::integer, $2::integer)", [.int(classID), .int(Int64(lock.key))])
                    .string(0, 0) == "t"
            }
            guard got else {
                release()
                let holder = holderDescription(key: lock.key) ?? "another session"
                let subject = lock.what == "the index" ? address : "\(lock.what) in \(address)"
                throw StoreError.locked(path: subject, holder: holder)
            }
            taken.append((lock.key, lock.shared))
        }
        return IndexLock(releasing: release)
    }

    /// The server process of the session holding the lock for `purpose` (any root's, for
    /// indexing), or nil when none does.
    public func lockHolder(for purpose: IndexLock.Purpose) -> Int32? {
        let keys: String
        switch purpose {
        case .indexing, .indexingRoots: keys = "objid <> \(UInt32(bitPattern: AdvisoryKey.watching)) AND objid <> \(UInt32(bitPattern: AdvisoryKey.maintenance))"
        case .watching: keys = "objid = \(UInt32(bitPattern: AdvisoryKey.watching))"
        }
        let classID = UInt32(bitPattern: AdvisoryKey.classID(schema: location.schema))
        return try? withConnection { connection in
            let result = try connection.execute("""
                SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = \(classID)
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND pid <> pg_backend_pid() AND \(keys)
                LIMIT 1
                """)
            return result.rowCount > 0 ? Int32(result.int(0, 0)) : nil
        }
    }

    /// Who holds `key`: the client's address and application, and the server process.
    private func holderDescription(key: Int32) -> String? {
        let classID = UInt32(bitPattern: AdvisoryKey.classID(schema: location.schema)), objid = UInt32(bitPattern: key)
        return try? withConnection { connection in
            let result = try connection.execute("""
                SELECT l.pid, coalesce(host(a.client_addr), 'local socket'), a.application_name FROM pg_locks l
                LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = \(classID) AND l.objid = \(objid) LIMIT 1
                """)
            guard result.rowCount > 0 else { return nil }
            return "\(result.string(0, 2)) from \(result.string(0, 1)), server pid \(result.string(0, 0))"
        }
    }

    /// Runs `body` holding the maintenance lock exclusive (waiting for it): end-of-run steps of
    /// concurrent indexers run one after another, and no batch is stored meanwhile.
    public func withMaintenance<T>(_ body: () throws -> T) throws -> T {
        let keys: [PostgresValue] = [.int(Int64(AdvisoryKey.classID(schema: location.schema))), .int(Int64(AdvisoryKey.maintenance))]
        try withConnection { try $0.execute("SELECT pg_advisory_lock($1::integer, $2::integer)", keys) }
        defer { _ = try? withConnection { try $0.execute("SELECT pg_advisory_unlock($1::integer, $2::integer)", keys) } }
        return try body()
    }

    /// Takes the maintenance lock exclusive until the open transaction ends.
    func lockMaintenanceForTransaction(_ connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                               [.int(Int64(AdvisoryKey.classID(schema: location.schema))), .int(Int64(AdvisoryKey.maintenance))])
    }

    /// The notifications received on the index's channel: every committed write notifies it
    /// (``transaction(_:)``), so the count changes when another connection commits. The first call
    /// starts listening; each call reads what arrived without a round trip. A connection opened
    /// again (the server dropped the last) changes the token too: notifications sent meanwhile are
    /// lost, so the reader reloads.
    public func changeToken() throws -> Int {
        try withConnection { connection in
            if !listening {
                try connection.execute("LISTEN \(channel)")
                listening = true
            }
            return connection.drainNotifications() + reconnections << 40
        }
    }
}
