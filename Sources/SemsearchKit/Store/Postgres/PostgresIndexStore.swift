import Foundation
import SemsearchCore
import SemsearchEncoder

/// The index in a PostgreSQL database with pgvector (``IndexStore`` over libpq), in a schema of its
/// own (``PostgresSchema``), for a team's shared index: indexers on several machines write it at
/// once (a lock a root, see ``lock(for:)``), readers learn of their commits by `LISTEN/NOTIFY`
/// (``changeToken()``), and the server searches the default cell itself, through an IVFFlat index
/// once it is large (``nearestNeighbors(_:k:allowedFiles:probes:exact:)``). Every write is one transaction, so a killed indexer
/// loses at most the batch it was storing.
///
/// One connection a store, used by one thread at a time (a lock serializes callers); a connection
/// the server dropped is opened again on the next call.
public final class PostgresIndexStore: IndexStore, @unchecked Sendable {
    public let location: PostgresAddress
    private let access = NSRecursiveLock()
    private var connection: PostgresConnection
    /// Whether this connection has run `LISTEN` (on the first ``changeToken()``).
    var listening = false
    /// Connections opened again after the server dropped one: part of the change token, since
    /// what was notified meanwhile never arrived.
    var reconnections = 0
    /// The schema pgvector's types live in (usually `public`), for the search path.
    private var extensionSchema = "public"
    /// The default cell's width when the index has its `ann_vectors` table (its settings are saved).
    var nearestNeighborDim: Int?
    /// The server's IVFFlat index as last read (nil: the server scans).
    var serverIndexState: IVFState?

    /// The URL without its password (and `schema=` when not the default).
    public var address: String { location.description }
    /// A server's index has no file of its own.
    public var databaseFile: String? { nil }
    public var companionPaths: [String] { [] }
    public var keepsIVFLists: Bool { false }

    /// Connects to `location` and opens its index, creating the schema (and pgvector, when the role
    /// may) with `create`. Refuses an index written by a newer semsearch before writing anything.
    public init(location: PostgresAddress, create: Bool) throws {
        self.location = location
        do {
            connection = try PostgresConnection(url: location.connectionURL)
        } catch let error as PostgresError {
            throw StoreError.failure(path: location.description, reason: error.message)
        }
        try prepare(create: create)
    }

    /// Opens `url` (`postgres://…`).
    public convenience init(url: String, create: Bool) throws {
        try self.init(location: PostgresAddress(url), create: create)
    }

    /// The channel this index's writers notify and its readers listen on.
    var channel: String { "semsearch_" + location.schema }

    // MARK: - Connection and transactions

    /// Runs `body` on the connection, alone; a connection the server closed is opened again first
    /// (session state, the search path and `LISTEN`, is set anew).
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        access.lock()
        defer { access.unlock() }
        do {
            if !connection.isOpen {
                connection = try PostgresConnection(url: location.connectionURL)
                reconnections += 1
                try setSearchPath()
                if listening { try connection.execute("LISTEN \(channel)") }
            }
            return try body(connection)
        } catch let error as PostgresError {
            throw translate(error)
        }
    }

    /// Runs `body` in one transaction that notifies readers when it commits; rolled back on error.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                let value = try body(connection)
                try connection.execute("SELECT pg_notify($1, '')", [.text(channel)])
                try connection.execute("COMMIT")
                return value
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` in a read-only snapshot: the statements of one read see one state of the index.
    func snapshot<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? connection.execute("COMMIT") }
            return try body(connection)
        }
    }

    /// A server error in the user's words, naming the index by its URL without password.
    func translate(_ error: PostgresError) -> StoreError {
        switch error.sqlState {
        case PostgresError.undefinedTable:
            return .failure(path: address, reason: "the index's tables are incomplete (\(error.message)); index into another schema=")
        default:
            return .failure(path: address, reason: error.message)
        }
    }

    private func setSearchPath() throws {
        try connection.execute("SET search_path TO \(location.schema), \(extensionSchema)")
    }

    /// Checks the schema's version, or creates the schema and pgvector when asked to.
    private func prepare(create: Bool) throws {
        try withConnection { connection in
            if let schema = try connection.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector'")
                .optionalStringOfFirstRow() {
                extensionSchema = schema
            }
            try setSearchPath()
            let exists = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [.text(location.schema + ".meta")]).string(0, 0) == "t"
            if !exists {
                guard create else { throw StoreError.empty(address) }
                try createSchema(connection)
            }
            let version = try connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").optionalStringOfFirstRow().flatMap { Int($0) } ?? 0
            guard version <= PostgresSchema.version else {
                throw StoreError.newerSchema(path: address, found: version, supported: PostgresSchema.version)
            }
            if try connection.execute("SELECT to_regclass($1) IS NOT NULL", [.text(location.schema + ".ann_vectors")]).string(0, 0) == "t" {
                nearestNeighborDim = try connection.execute("""
                    SELECT atttypmod FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding'
                    """, [.text(location.schema + ".ann_vectors")]).optionalStringOfFirstRow().flatMap { Int($0) }
            }
        }
    }

    /// pgvector (enabled when missing and the role may), then the schema and its tables, in one
    /// transaction under a lock, so two indexers starting on a new schema create it once.
    private func createSchema(_ connection: PostgresConnection) throws {
        if try connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").rowCount == 0 {
            do {
                try connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
            } catch let error as PostgresError {
                let database = (try? connection.execute("SELECT current_database(), current_user")).map { ($0.string(0, 0), $0.string(0, 1)) }
                let (name, role) = database ?? ("?", "?")
                if error.sqlState == PostgresError.undefinedFile || error.message.contains("extension \"vector\" is not available") {
                    throw StoreError.failure(path: address, reason: "the server has no pgvector extension: install it (Debian/Ubuntu: postgresql-NN-pgvector) and run CREATE EXTENSION vector in database \(name)")
                }
                throw StoreError.failure(path: address, reason: "database \(name) has no pgvector extension and role \(role) may not create it (\(error.message)): ask its owner to run CREATE EXTENSION vector")
            }
            extensionSchema = try connection.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector'")
                .optionalStringOfFirstRow() ?? "public"
        }
        try connection.execute("BEGIN")
        do {
            try connection.execute("SELECT pg_advisory_xact_lock($1::integer, 0)", [.int(Int64(AdvisoryKey.classID(schema: location.schema)))])
            if try connection.execute("SELECT to_regclass($1) IS NULL", [.text(location.schema + ".meta")]).string(0, 0) == "t" {
                try connection.execute("CREATE SCHEMA IF NOT EXISTS \(location.schema)")
                try setSearchPath()
                try connection.execute(PostgresSchema.tables)
                try connection.execute("INSERT INTO meta(key, value) VALUES ('schema_version', $1)", [.text(String(PostgresSchema.version))])
            }
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    // MARK: - Settings and meta

    public func settings() throws -> IndexSettings? {
        guard let json = try meta(.settings) else { return nil }
        do {
            return try JSONDecoder().decode(IndexSettings.self, from: Data(json.utf8))
        } catch {
            throw StoreError.unreadableSettings(path: address, reason: DecodingFailure.describe(error))
        }
    }

    /// Saves the settings and the stored layers, and creates the default cell's table
    /// (`ann_vectors`) the first time, at the model's width. A `mix` index has none: its searched
    /// vectors are mixed at load, not stored.
    public func saveSettings(_ settings: IndexSettings) throws {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try transaction { connection in
            try Self.setMeta(.settings, json, connection)
            try connection.execute("DELETE FROM stored_layers")
            try connection.execute("INSERT INTO stored_layers(layer) SELECT unnest($1::smallint[])", [.text("{" + settings.layers.map(String.init).joined(separator: ",") + "}")])
            if nearestNeighborDim == nil, settings.situate != .mix,
               try connection.execute("SELECT to_regclass($1) IS NULL", [.text(location.schema + ".ann_vectors")]).string(0, 0) == "t" {
                try connection.execute(PostgresSchema.nearestNeighborTable(dim: settings.hiddenSize))
            }
        }
        if settings.situate != .mix { nearestNeighborDim = settings.hiddenSize }
    }

    public func meta<Value>(_ key: IndexMetaKey<Value>) throws -> Value? {
        try withConnection { try Self.meta(key, $0) }
    }

    public func setMeta<Value>(_ key: IndexMetaKey<Value>, _ value: Value) throws {
        try transaction { try Self.setMeta(key, value, $0) }
    }

    static func meta<Value>(_ key: IndexMetaKey<Value>, _ connection: PostgresConnection) throws -> Value? {
        try connection.execute("SELECT value FROM meta WHERE key = $1", [.text(key.name)]).optionalStringOfFirstRow().flatMap(key.decode)
    }

    static func setMeta<Value>(_ key: IndexMetaKey<Value>, _ value: Value, _ connection: PostgresConnection) throws {
        try connection.execute("INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [.text(key.name), .text(key.encode(value))])
    }

    static func removeMeta<Value>(_ key: IndexMetaKey<Value>, _ connection: PostgresConnection) throws {
        try connection.execute("DELETE FROM meta WHERE key = $1", [.text(key.name)])
    }

    // MARK: - Roots and files

    public func rootID(for path: String) throws -> Int64 {
        try transaction { connection in
            let inserted = try connection.execute("""
                INSERT INTO roots(path, added_at) VALUES ($1, $2) ON CONFLICT (path) DO NOTHING RETURNING id
                """, [.text(path), .double(Date().timeIntervalSince1970)])
            if inserted.rowCount > 0 { return inserted.int64(0, 0) }
            return try connection.execute("SELECT id FROM roots WHERE path = $1", [.text(path)]).int64(0, 0)
        }
    }

    public func roots() throws -> [(id: Int64, path: String)] {
        try withConnection { connection in
            let result = try connection.execute("SELECT id, path FROM roots ORDER BY id")
            return (0..<result.rowCount).map { (result.int64($0, 0), result.string($0, 1)) }
        }
    }

    @discardableResult
    public func removeRoot(_ path: String) throws -> Bool {
        try transaction { try $0.execute("DELETE FROM roots WHERE path = $1", [.text(path)]).affectedRows > 0 }
    }

    /// Paths inside the folder sort between "folder/" and "folder0" ('0' follows '/') in the C
    /// collation, which the comparison asks for, so the unique index on path answers it as a range.
    public func fileStates(under rootPath: String) throws -> [String: StoredFileState] {
        let folder = rootPath.hasSuffix("/") ? String(rootPath.dropLast()) : rootPath
        return try withConnection { connection in
            let result = try connection.execute("""
                SELECT id, path, size, mtime, hash FROM files
                WHERE path = $1 OR (path COLLATE "C" >= $2 AND path COLLATE "C" < $3)
                """, [.text(folder), .text(folder + "/"), .text(folder + "0")])
            var states: [String: StoredFileState] = [:]
            for row in 0..<result.rowCount {
                states[result.string(row, 1)] = StoredFileState(id: result.int64(row, 0), size: result.int(row, 2),
                                                                modificationTime: result.double(row, 3), hash: result.string(row, 4))
            }
            return states
        }
    }

    public func filePaths() throws -> [(id: Int64, path: String)] {
        try withConnection { connection in
            let result = try connection.execute("SELECT id, path FROM files ORDER BY id")
            return (0..<result.rowCount).map { (result.int64($0, 0), result.string($0, 1)) }
        }
    }

    /// Replaces each file's chunks and vectors in one transaction. The quantizers are read inside
    /// it, under the index's maintenance lock taken shared, so a compaction by another indexer
    /// (exclusive) never recodes rows around a batch encoded with the quantizers it replaces. Each
    /// chunk is one statement: the chunk, its vectors of every layer and its default-cell vector.
    public func store(_ files: [IndexedFile], rootID: Int64, layers: [Int]) throws {
        let now = Date().timeIntervalSince1970
        try transaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock_shared($1::integer, $2::integer)",
                                   [.int(Int64(AdvisoryKey.classID(schema: location.schema))), .int(Int64(AdvisoryKey.maintenance))])
            let quantizers = try Self.layerQuantizers(connection)
            let deepest = layers.firstIndex(of: layers.max() ?? 0)
            let ann = nearestNeighborDim
            let vectorRows = layers.indices.map { "($\(13 + 2 * $0)::smallint, $\(14 + 2 * $0)::bytea)" }.joined(separator: ", ")
            let annParameter = 13 + 2 * layers.count
            let insertChunk = """
                WITH chunk AS (
                    INSERT INTO chunks(file_id, ordinal, byte_start, byte_end, line_start, line_end, heading, text, tokens,
                                       location_unit, location_start, location_end, terms, words)
                    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, t.terms,
                           (SELECT coalesce(sum(cardinality(positions)), 0) FROM unnest(t.terms))
                    FROM (SELECT \(PostgresSchema.terms("coalesce($7, '') || ' ' || $8")) AS terms) t
                    RETURNING id, words, terms),
                postings AS (INSERT INTO chunk_terms(lexeme, chunk_id, tf, words)
                             SELECT u.lexeme, chunk.id, cardinality(u.positions), chunk.words FROM chunk, unnest(chunk.terms) u),
                stored AS (INSERT INTO vectors(layer, chunk_id, vector) SELECT v.layer, chunk.id, v.vector FROM chunk, (VALUES \(vectorRows)) v(layer, vector))
                \(ann != nil ? ", nearest AS (INSERT INTO ann_vectors(chunk_id, embedding) SELECT id, $\(annParameter)::halfvec FROM chunk)" : "")
                SELECT id, words FROM chunk
                """
            var chunks = 0, words = 0
            for file in files {
                try connection.execute("DELETE FROM files WHERE path = $1", [.text(file.path)])
                let tokens = file.chunks.reduce(0) { $0 + $1.tokenCount }
                let fileID = try connection.execute("""
                    INSERT INTO files(root_id, path, size, mtime, hash, kind, tokens, indexed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                    """, [.int(rootID), .text(file.path), PostgresValue(file.size), .double(file.modificationTime), .text(file.hash),
                          .text(file.kind.rawValue), PostgresValue(tokens), .double(now)], prepared: true).int64(0, 0)
                for (ordinal, chunk) in file.chunks.enumerated() {
                    let blobs = quantizers.encode(layers: layers, vectors: file.vectors[ordinal])
                    var parameters: [PostgresValue] = [
                        .int(fileID), PostgresValue(ordinal), PostgresValue(chunk.byteRange.lowerBound), PostgresValue(chunk.byteRange.upperBound),
                        PostgresValue(chunk.lineStart), PostgresValue(chunk.lineEnd), PostgresValue(chunk.heading), .text(chunk.text),
                        PostgresValue(chunk.tokenCount), PostgresValue(chunk.location?.unit.rawValue),
                        chunk.location.map { PostgresValue($0.start) } ?? .null, chunk.location.map { PostgresValue($0.end) } ?? .null,
                    ]
                    for layer in layers { parameters += [PostgresValue(layer), .bytes(blobs[layer]!)] }
                    if let dim = ann, let deepest {
                        parameters.append(.binary(HalfVector.wire(file.vectors[ordinal][deepest], dim: dim)))
                    }
                    let inserted = try connection.execute(insertChunk, parameters, prepared: true)
                    chunks += 1
                    words += inserted.int(0, 1)
                    if let target = file.calibrationTargets?[ordinal] {
                        try connection.execute("INSERT INTO calibration_targets(chunk_id, vector) VALUES ($1, $2)",
                                               [.int(inserted.int64(0, 0)), .bytes(VectorCodec.encode(target))], prepared: true)
                    }
                }
            }
            if chunks > 0 {
                try connection.execute("UPDATE keyword_totals SET chunks = chunks + $1, words = words + $2", [PostgresValue(chunks), PostgresValue(words)])
            }
        }
    }

    public func updateModificationTimes(_ updates: [(id: Int64, modificationTime: Double)]) throws {
        guard !updates.isEmpty else { return }
        try transaction { connection in
            try connection.execute("""
                UPDATE files f SET mtime = u.mtime FROM unnest($1::bigint[], $2::double precision[]) AS u(id, mtime) WHERE f.id = u.id
                """, [.ids(updates.map(\.id)), .text("{" + updates.map { "\($0.modificationTime)" }.joined(separator: ",") + "}")])
        }
    }

    public func deleteFiles(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try transaction { try $0.execute("DELETE FROM files WHERE id = ANY($1::bigint[])", [.ids(ids)]) }
    }

    public func statistics() throws -> IndexStatistics {
        try withConnection { connection in
            let result = try connection.execute("""
                SELECT (SELECT count(*) FROM files), (SELECT chunks FROM keyword_totals),
                       (SELECT coalesce(sum(tokens), 0) FROM files), (SELECT count(*) FROM roots),
                       (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
                        WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'm'))
                """, [.text(location.schema)])
            return IndexStatistics(roots: result.int(0, 3), files: result.int(0, 0), chunks: result.int(0, 1), tokens: result.int(0, 2),
                                   databaseBytes: result.int(0, 4))
        }
    }

    public func addVocabularyCoverage(_ coverage: VocabularyCoverage) throws {
        guard coverage.tokens > 0 else { return }
        try transaction { connection in
            // An increment in the statement itself: two indexers adding at once both count.
            for (key, value) in [(IndexMetaKey<Int>.coverageTokens, coverage.tokens), (.coveragePoorlyRead, coverage.poorlyRead)] {
                try connection.execute("""
                    INSERT INTO meta(key, value) VALUES ($1, $2)
                    ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + excluded.value::bigint)::text
                    """, [.text(key.name), PostgresValue(value)])
            }
        }
    }

    public func vocabularyCoverage() throws -> VocabularyCoverage {
        try withConnection { connection in
            VocabularyCoverage(tokens: try Self.meta(.coverageTokens, connection) ?? 0, poorlyRead: try Self.meta(.coveragePoorlyRead, connection) ?? 0)
        }
    }

    // MARK: - Chunks

    /// Chunks by id, with their file's path. A file under a root that is not on this machine (a
    /// teammate's folder) comes without what was indexed of it, so it is not shown as changed.
    public func chunks(ids: [Int64]) throws -> [Int64: ChunkRecord] {
        guard !ids.isEmpty else { return [:] }
        return try withConnection { connection in
            let result = try connection.execute("""
                SELECT c.id, f.path, c.ordinal, c.byte_start, c.byte_end, c.line_start, c.line_end, c.heading, c.text, f.size, f.mtime,
                       c.location_unit, c.location_start, c.location_end, r.path
                FROM chunks c JOIN files f ON f.id = c.file_id JOIN roots r ON r.id = f.root_id WHERE c.id = ANY($1::bigint[])
                """, [.ids(ids)])
            var records: [Int64: ChunkRecord] = [:], rootHere: [String: Bool] = [:]
            for row in 0..<result.rowCount {
                let id = result.int64(row, 0), root = result.string(row, 14)
                let here = rootHere[root] ?? FileManager.default.fileExists(atPath: root)
                rootHere[root] = here
                records[id] = ChunkRecord(id: id, path: result.string(row, 1), ordinal: result.int(row, 2),
                                          byteRange: result.int(row, 3)..<result.int(row, 4),
                                          lineStart: result.int(row, 5), lineEnd: result.int(row, 6), heading: result.string(row, 7),
                                          text: result.string(row, 8),
                                          indexedFile: here ? (size: result.int(row, 9), modificationTime: result.double(row, 10)) : nil,
                                          location: result.optionalString(row, 11).flatMap(DocumentLocation.Unit.init(rawValue:)).map {
                                              DocumentLocation(unit: $0, start: result.int(row, 12), end: result.int(row, 13))
                                          })
            }
            return records
        }
    }

    public func chunkIDs(inFiles files: Set<Int64>) throws -> Set<Int64> {
        guard !files.isEmpty else { return [] }
        return try withConnection { connection in
            let result = try connection.execute("SELECT id FROM chunks WHERE file_id = ANY($1::bigint[])", [.ids(files)], binaryResults: true)
            return Set((0..<result.rowCount).map { result.int64($0, 0) })
        }
    }

    public func chunkIDs(layer: Int) throws -> [Int64] {
        try withConnection { connection in
            let result = try connection.execute("SELECT chunk_id FROM vectors WHERE layer = $1 ORDER BY chunk_id", [PostgresValue(layer)], binaryResults: true)
            return (0..<result.rowCount).map { result.int64($0, 0) }
        }
    }

    public func vectorCount(layer: Int) throws -> Int {
        try withConnection { try $0.execute("SELECT count(*) FROM vectors WHERE layer = $1", [PostgresValue(layer)]).int(0, 0) }
    }

    // MARK: - Space

    /// PostgreSQL reuses the space of rewritten rows itself (autovacuum); a plain `VACUUM` of the
    /// vector table after a rewrite makes it reusable at once without locking readers out.
    @discardableResult
    public func vacuumIfPending() throws -> Bool {
        guard try meta(.vacuumPending) != nil else { return false }
        try withConnection { connection in
            try connection.execute("VACUUM (ANALYZE) vectors")
            try Self.removeMeta(.vacuumPending, connection)
        }
        return true
    }

    /// Nothing to fold in: the server makes every commit durable itself. Refreshes the planner's
    /// statistics of the tables a run grew, so searches plan for their size.
    public func checkpoint() throws {
        try withConnection { connection in
            try connection.execute("ANALYZE files, chunks, chunk_terms, vectors")
            if nearestNeighborDim != nil { try connection.execute("ANALYZE ann_vectors") }
        }
    }

    /// The schema's tables and indexes on disk.
    public func usedBytes() throws -> Int { try statistics().databaseBytes }
}

extension PostgresResult {
    /// The first column of the first row, nil when there is no row or it is NULL.
    func optionalStringOfFirstRow() -> String? { rowCount > 0 ? optionalString(0, 0) : nil }
}
