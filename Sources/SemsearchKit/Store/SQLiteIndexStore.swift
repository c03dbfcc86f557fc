import SemsearchCore
import SemsearchEncoder
import Foundation
import GRDB
import GRDBSQLite

/// The index in one SQLite file (``IndexStore`` over GRDB): files, chunks (with FTS5), every stored
/// layer's vectors and the settings they were built with. The file is the source of truth; every
/// write is a transaction, so an interrupted run leaves the last committed state intact.
///
/// ## Topics
/// - ``init(path:create:)``
/// - ``store(_:rootID:layers:)``
/// - ``fileStates(under:)``
/// - ``statistics()``
public final class SQLiteIndexStore: IndexStore {
    public let path: String
    let database: DatabaseQueue

    /// The database file's path.
    public var address: String { path }
    public var databaseFile: String? { path }
    public var keepsIVFLists: Bool { true }

    /// Opens (or with `create`, creates) the index at `path`, upgrading its schema when needed.
    public init(path: String, create: Bool) throws {
        self.path = path
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard create else { throw StoreError.empty(path) }
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                    throw StoreError.failure(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
                }
            }
        }
        if !fm.fileExists(atPath: path) { try Self.createFile(path) }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = IndexSchema.migrator
            if try database.read({ try migrator.hasBeenSuperseded($0) }) {
                throw StoreError.newerSchema(path: path, found: -1, supported: IndexSchema.version)
            }
            try migrator.migrate(database)
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    /// Page size of new databases. A vector row must fit its b-tree page: SQLite keeps at most
    /// about a quarter of a page inline in a WITHOUT ROWID table, so with 4 KB pages a 1,536-byte
    /// fp16 vector (768 dims, EmbeddingGemma) spills into an overflow page of its own and the
    /// vectors take three times their size. 8 KB pages hold up to about 1,000 dims inline.
    static let pageSize = 8192

    /// Creates an empty database file with `pageSize` pages in WAL mode (the page size is fixed once
    /// the first page is written, and WAL mode writes it).
    private static func createFile(_ path: String) throws {
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA page_size = \(pageSize)")
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    static func translate(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path, holder: "the database is busy")
        default: return .failure(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// Runs `body` in a write transaction, translating SQLite errors for the user.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch let error as DatabaseError { throw Self.translate(error, path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch let error as DatabaseError { throw Self.translate(error, path: path) }
    }

    // MARK: - Settings and meta

    public func settings() throws -> IndexSettings? {
        guard let json = try meta(.settings) else { return nil }
        do {
            return try JSONDecoder().decode(IndexSettings.self, from: Data(json.utf8))
        } catch {
            throw StoreError.unreadableSettings(path: path, reason: DecodingFailure.describe(error))
        }
    }

    /// Saves the settings, and the stored layers in the table the vector-delete trigger reads.
    public func saveSettings(_ settings: IndexSettings) throws {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try write { db in
            try Self.setMeta(.settings, json, db)
            try db.execute(sql: "DELETE FROM stored_layers")
            for layer in settings.layers { try db.execute(sql: "INSERT INTO stored_layers(layer) VALUES (?)", arguments: [layer]) }
        }
    }

    public func meta<Value>(_ key: IndexMetaKey<Value>) throws -> Value? {
        try read { try Self.meta(key, $0) }
    }

    public func setMeta<Value>(_ key: IndexMetaKey<Value>, _ value: Value) throws {
        try write { try Self.setMeta(key, value, $0) }
    }

    /// `key`'s value, inside a transaction already open.
    static func meta<Value>(_ key: IndexMetaKey<Value>, _ db: Database) throws -> Value? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.name]).flatMap(key.decode)
    }

    static func setMeta<Value>(_ key: IndexMetaKey<Value>, _ value: Value, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key.name, key.encode(value)])
    }

    static func removeMeta<Value>(_ key: IndexMetaKey<Value>, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key.name])
    }

    // MARK: - Roots and files

    /// The id of root `path`, added when new.
    public func rootID(for path: String) throws -> Int64 {
        try write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM roots WHERE path = ?", arguments: [path]) { return id }
            try db.execute(sql: "INSERT INTO roots(path, added_at) VALUES (?, ?)", arguments: [path, Date().timeIntervalSince1970])
            return db.lastInsertedRowID
        }
    }

    /// Indexed roots, in the order they were added.
    public func roots() throws -> [(id: Int64, path: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, path FROM roots ORDER BY id").map { ($0["id"], $0["path"]) }
        }
    }

    /// Forgets root `path` and everything indexed under it; returns whether it was indexed.
    @discardableResult
    public func removeRoot(_ path: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM roots WHERE path = ?", arguments: [path])
            return db.changesCount > 0
        }
    }

    /// What the index holds of each file inside the folder `rootPath`, by path, whichever root
    /// reached it: a file is the same file when a nested or an enclosing root is indexed later.
    public func fileStates(under rootPath: String) throws -> [String: StoredFileState] {
        // Paths inside the folder sort between "folder/" and "folder0" ('0' follows '/'), so the
        // unique index on path answers this without a scan and without LIKE's wildcards.
        let folder = rootPath.hasSuffix("/") ? String(rootPath.dropLast()) : rootPath
        return try read { db in
            var states: [String: StoredFileState] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, path, size, mtime, hash FROM files WHERE path = ? OR (path >= ? AND path < ?)",
                                           arguments: [folder, folder + "/", folder + "0"])
            while let row = try rows.next() {
                states[row["path"]] = StoredFileState(id: row["id"], size: row["size"], modificationTime: row["mtime"], hash: row["hash"])
            }
            return states
        }
    }

    /// Replaces each file's chunks and vectors, all in one transaction. A layer with a quantizer
    /// stores its codes; others store fp16 (converted once enough are stored, or when the run
    /// ends, see ``VectorCompaction``).
    public func store(_ files: [IndexedFile], rootID: Int64, layers: [Int]) throws {
        let quantizers = try layerQuantizers()
        let now = Date().timeIntervalSince1970
        try write { db in
            let deleteFile = try db.cachedStatement(sql: "DELETE FROM files WHERE path = ?")
            let insertFile = try db.cachedStatement(sql: """
                INSERT INTO files(root_id, path, size, mtime, hash, kind, tokens, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertChunk = try db.cachedStatement(sql: """
                INSERT INTO chunks(file_id, ordinal, byte_start, byte_end, line_start, line_end, heading, text, tokens,
                                   location_unit, location_start, location_end)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertVector = try db.cachedStatement(sql: "INSERT INTO vectors(layer, chunk_id, vector) VALUES (?, ?, ?)")
            let insertTarget = try db.cachedStatement(sql: "INSERT INTO calibration_targets(chunk_id, vector) VALUES (?, ?)")
            for file in files {
                try deleteFile.execute(arguments: [file.path])
                let tokens = file.chunks.reduce(0) { $0 + $1.tokenCount }
                try insertFile.execute(arguments: [rootID, file.path, file.size, file.modificationTime, file.hash,
                                                   file.kind.rawValue, tokens, now])
                let fileID = db.lastInsertedRowID
                for (ordinal, chunk) in file.chunks.enumerated() {
                    try insertChunk.execute(arguments: [fileID, ordinal, chunk.byteRange.lowerBound, chunk.byteRange.upperBound,
                                                        chunk.lineStart, chunk.lineEnd, chunk.heading, chunk.text, chunk.tokenCount,
                                                        chunk.location?.unit.rawValue, chunk.location?.start, chunk.location?.end])
                    let chunkID = db.lastInsertedRowID
                    let blobs = quantizers.encode(layers: layers, vectors: file.vectors[ordinal])
                    for layer in layers {
                        try insertVector.execute(arguments: [layer, chunkID, blobs[layer]!])
                    }
                    if let target = file.calibrationTargets?[ordinal] {
                        try insertTarget.execute(arguments: [chunkID, VectorCodec.encode(target)])
                    }
                }
            }
        }
    }

    /// Records new modification times of files whose content did not change.
    public func updateModificationTimes(_ updates: [(id: Int64, modificationTime: Double)]) throws {
        guard !updates.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "UPDATE files SET mtime = ? WHERE id = ?")
            for update in updates { try statement.execute(arguments: [update.modificationTime, update.id]) }
        }
    }

    /// Deletes files (with their chunks and vectors) by id.
    public func deleteFiles(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM files WHERE id = ?")
            for id in ids { try statement.execute(arguments: [id]) }
        }
    }

    // MARK: - Reading

    /// Counts and sizes for `semsearch status`.
    public func statistics() throws -> IndexStatistics {
        let counts = try read { db -> (Int, Int, Int, Int) in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM files) AS files, (SELECT COUNT(*) FROM chunks) AS chunks,
                       (SELECT COALESCE(SUM(tokens), 0) FROM chunks) AS tokens, (SELECT COUNT(*) FROM roots) AS roots
                """)!
            return (row["files"], row["chunks"], row["tokens"], row["roots"])
        }
        var bytes = 0
        for suffix in ["", "-wal", "-shm"] {
            bytes += ((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0
        }
        return IndexStatistics(roots: counts.3, files: counts.0, chunks: counts.1, tokens: counts.2, databaseBytes: bytes)
    }

    /// Every stored chunk's vector at `layer`, cut to `dim` and L2-normalized, in chunk id order,
    /// with the file each chunk belongs to.
    public func vectors(layer: Int, dim: Int) throws -> StoredVectors {
        try read { db in
            // Counting first sizes the buffers exactly (and warms the pages the load reads next).
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vectors WHERE layer = ?", arguments: [layer]) ?? 0
            let (decoder, chain) = try chainColumns(db, layer: layer)
            return try Self.fetchVectors(db, dim: dim, decoder: decoder, sql: """
                SELECT v.chunk_id, c.file_id, v.vector\(chain.columns) FROM vectors v JOIN chunks c ON c.id = v.chunk_id\(chain.joins)
                WHERE v.layer = ? ORDER BY v.chunk_id
                """, arguments: [layer], expectedCount: count)
        }
    }

    /// Rows of (chunk id, file id, stored vector) decoded with `decoder` into normalized `dim`-wide vectors.
    static func fetchVectors(_ db: Database, dim: Int, decoder: StoredVectorDecoder, sql: String, arguments: StatementArguments,
                             expectedCount: Int = 1024) throws -> StoredVectors {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        var chunkIDs: [Int64] = [], fileIDs: [Int64] = [], matrix: [Float] = []
        chunkIDs.reserveCapacity(expectedCount)
        fileIDs.reserveCapacity(expectedCount)
        matrix.reserveCapacity(expectedCount * dim)
        try stepVectorRows(statement, db, vectorColumn: 2, dim: dim, decoder: decoder, normalize: true) { handle, row in
            matrix.append(contentsOf: row)
            chunkIDs.append(sqlite3_column_int64(handle, 0))
            fileIDs.append(sqlite3_column_int64(handle, 1))
        }
        return StoredVectors(dim: dim, chunkIDs: chunkIDs, fileIDs: fileIDs, matrix: matrix)
    }

    /// Steps `statement` (arguments already bound) through SQLite's C API, handing each row's
    /// statement handle to `body`, and resets it: the loops that read vectors by the million, where
    /// going through GRDB's `Row` costs several times the work done on a row.
    static func stepRows(_ statement: Statement, _ db: Database, _ body: (OpaquePointer) throws -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(handle)
        }
    }

    /// Steps `statement` (arguments already bound) and hands each row whose BLOB in `vectorColumn`
    /// `decoder` can read at `dim` values to `body`, decoded (and normalized) in place: the vector
    /// loads of exact search are mostly this loop. A predicted layer's row carries the BLOBs of
    /// its chain in the columns after `vectorColumn` (see ``chainColumns(_:layer:)``).
    static func stepVectorRows(_ statement: Statement, _ db: Database, vectorColumn: Int32, dim: Int, decoder: StoredVectorDecoder,
                               normalize: Bool, _ body: (OpaquePointer, [Float]) -> Void) throws {
        var row = [Float](repeating: 0, count: dim)
        var scratch = [Float](repeating: 0, count: max(1, (decoder.blobCount - 1) * dim))
        var blobs = [(UnsafeRawPointer?, Int)](repeating: (nil, 0), count: decoder.blobCount)
        try stepRows(statement, db) { handle in
            for level in 0..<decoder.blobCount {
                let column = vectorColumn + Int32(level)
                blobs[level] = (sqlite3_column_blob(handle, column), Int(sqlite3_column_bytes(handle, column)))
            }
            guard blobs[0].0 != nil else { return }
            let decoded = row.withUnsafeMutableBufferPointer { out in
                let ok = scratch.withUnsafeMutableBufferPointer { scratch in
                    decoder.blobCount == 1
                        ? decoder.decode(blobs[0].0!, bytes: blobs[0].1, dim: dim, into: out.baseAddress!)
                        : decoder.decode(blobs, dim: dim, scratch: scratch.baseAddress!, into: out.baseAddress!)
                }
                guard ok else { return false }
                if normalize { VectorMath.normalize(out) }
                return true
            }
            if decoded { body(handle, row) }
        }
    }

    /// Number of chunks with a vector at `layer`.
    public func vectorCount(layer: Int) throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM vectors WHERE layer = ?", arguments: [layer]) ?? 0 }
    }

    /// Chunks by id, with their file's path.
    public func chunks(ids: [Int64]) throws -> [Int64: ChunkRecord] {
        try read { db in
            var records: [Int64: ChunkRecord] = [:]
            let statement = try db.cachedStatement(sql: """
                SELECT c.id, f.path, c.ordinal, c.byte_start, c.byte_end, c.line_start, c.line_end, c.heading, c.text, f.size, f.mtime,
                       c.location_unit, c.location_start, c.location_end
                FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id = ?
                """)
            for id in ids {
                guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                records[id] = ChunkRecord(id: row[0], path: row[1], ordinal: row[2], byteRange: row[3]..<row[4],
                                          lineStart: row[5], lineEnd: row[6], heading: row[7], text: row[8],
                                          indexedFile: (size: row[9], modificationTime: row[10]),
                                          location: (row[11] as String?).flatMap(DocumentLocation.Unit.init(rawValue:)).map {
                                              DocumentLocation(unit: $0, start: row[12], end: row[13])
                                          })
            }
            return records
        }
    }

    /// The `flock` lock file beside the database (``IndexLock``).
    public func lock(for purpose: IndexLock.Purpose) throws -> IndexLock {
        try IndexLock(databasePath: path, purpose: purpose)
    }

    public func lockHolder(for purpose: IndexLock.Purpose) -> Int32? {
        IndexLock.holder(databasePath: path, purpose: purpose)
    }

    /// One writer holds the file's lock for a whole run, so there is no other to wait for.
    public func withMaintenance<T>(_ body: () throws -> T) throws -> T { try body() }

    /// SQLite has no index of its own: searches scan, shortlist or probe IVF lists in the process.
    public func nearestNeighborCell() throws -> MatryoshkaCell? { nil }
    public func nearestNeighborIndex() throws -> IVFState? { nil }
    public func nearestNeighbors(_ query: [Float], k: Int, allowedFiles: Set<Int64>?, probes: Int?, exact: Bool) throws -> [SearchHit] { [] }
    public func nearestNeighborMethod(probes: Int?) -> String { "" }
    public func updateNearestNeighborIndex(_ setting: IVFSetting) throws -> IVFState? { nil }

    /// The database file and the files beside it that belong to it (WAL, shared memory, locks),
    /// which crawling and watching leave alone.
    public var companionPaths: [String] {
        [path, path + "-wal", path + "-shm", path + "-journal", path + ".lock", path + ".watch.lock"]
    }

    /// SQLite's `data_version` of this store's connection: it changes whenever another connection
    /// (another process's index run) commits, so a long-lived reader can tell its caches are old.
    public func changeToken() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// Rebuilds the file without free pages (after vectors were rewritten smaller), and folds the
    /// WAL, where VACUUM writes the new pages, back into the file.
    public func vacuum() throws {
        do {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                _ = try db.checkpoint(.truncate)
            }
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    /// Bytes of the database's pages in use (free pages left out), after folding the WAL in: what
    /// the file would weigh vacuumed.
    public func usedBytes() throws -> Int {
        try checkpoint()
        return try read { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return (pages - free) * size
        }
    }

    /// Checkpoints the WAL into the main file (after a run, so the file is self-contained).
    public func checkpoint() throws {
        do { _ = try database.writeWithoutTransaction { try $0.checkpoint(.truncate) } } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }
}
