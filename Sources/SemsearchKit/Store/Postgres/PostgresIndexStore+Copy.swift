import Foundation
import SemsearchCore
import SemsearchEncoder

extension PostgresIndexStore {
    public func storedFiles(after: Int64, limit: Int) throws -> [StoredFile] {
        try snapshot { connection in
            let fileRows = try connection.execute("""
                SELECT f.id, r.path, f.path, f.size, f.mtime, f.hash, f.kind FROM files f JOIN roots r ON r.id = f.root_id
                WHERE f.id > $1 ORDER BY f.id LIMIT $2
                """, [.int(after), PostgresValue(limit)])
            guard fileRows.rowCount > 0 else { return [] }
            let ids = (0..<fileRows.rowCount).map { fileRows.int64($0, 0) }
            let chunkRows = try connection.execute("""
                SELECT c.file_id, c.id, c.byte_start, c.byte_end, c.line_start, c.line_end, c.heading, c.text, c.tokens,
                       c.location_unit, c.location_start, c.location_end, t.vector
                FROM chunks c LEFT JOIN calibration_targets t ON t.chunk_id = c.id WHERE c.file_id = ANY($1::bigint[]) ORDER BY c.file_id, c.ordinal
                """, [.ids(ids)], binaryResults: true)
            let vectorRows = try connection.execute("""
                SELECT v.chunk_id, v.layer, v.vector FROM vectors v JOIN chunks c ON c.id = v.chunk_id JOIN stored_layers s ON s.layer = v.layer
                WHERE c.file_id = ANY($1::bigint[])
                """, [.ids(ids)], binaryResults: true)
            var vectorsOfChunk: [Int64: [Int: Data]] = [:]
            for row in 0..<vectorRows.rowCount { vectorsOfChunk[vectorRows.int64(row, 0), default: [:]][vectorRows.int(row, 1)] = vectorRows.bytes(row, 2) }
            var chunksOfFile: [Int64: (chunks: [TextChunk], vectors: [[Int: Data]], targets: [Data?])] = [:]
            for row in 0..<chunkRows.rowCount {
                let text = String(decoding: chunkRows.bytes(row, 7), as: UTF8.self), heading = String(decoding: chunkRows.bytes(row, 6), as: UTF8.self)
                let unit = chunkRows.isNull(row, 9) ? nil : DocumentLocation.Unit(rawValue: String(decoding: chunkRows.bytes(row, 9), as: UTF8.self))
                let chunk = TextChunk(text: text, byteRange: chunkRows.int(row, 2)..<chunkRows.int(row, 3), lineStart: chunkRows.int(row, 4),
                                      lineEnd: chunkRows.int(row, 5), heading: heading, tokenCount: chunkRows.int(row, 8),
                                      location: unit.map { DocumentLocation(unit: $0, start: chunkRows.int(row, 10), end: chunkRows.int(row, 11)) })
                let file = chunkRows.int64(row, 0), id = chunkRows.int64(row, 1)
                chunksOfFile[file, default: ([], [], [])].chunks.append(chunk)
                chunksOfFile[file, default: ([], [], [])].vectors.append(vectorsOfChunk[id] ?? [:])
                chunksOfFile[file, default: ([], [], [])].targets.append(chunkRows.optionalBytes(row, 12))
            }
            return (0..<fileRows.rowCount).map { row in
                let id = fileRows.int64(row, 0), parts = chunksOfFile[id] ?? ([], [], [])
                return StoredFile(id: id, rootPath: fileRows.string(row, 1), path: fileRows.string(row, 2), size: fileRows.int(row, 3),
                                  modificationTime: fileRows.double(row, 4), hash: fileRows.string(row, 5), kind: fileRows.string(row, 6),
                                  chunks: parts.chunks, vectors: parts.vectors, calibrationTargets: parts.targets)
            }
        }
    }

    /// Adds the files bytes as they are; the default cell's `halfvec` is the deepest layer's
    /// stored vector decoded with this index's quantizers (the ones it was stored under).
    public func insertStoredFiles(_ files: [StoredFile]) throws {
        guard !files.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        try transaction { connection in
            let quantizers = try Self.layerQuantizers(connection)
            let settings = try Self.settings(connection)
            let deepest = settings?.layers.max(), width = settings?.hiddenSize ?? 0
            var chunks = 0, words = 0
            for file in files {
                try connection.execute("INSERT INTO roots(path, added_at) VALUES ($1, $2) ON CONFLICT (path) DO NOTHING", [.text(file.rootPath), .double(now)],
                                       prepared: true)
                let fileID = try connection.execute("""
                    INSERT INTO files(root_id, path, size, mtime, hash, kind, tokens, indexed_at)
                    VALUES ((SELECT id FROM roots WHERE path = $1), $2, $3, $4, $5, $6, $7, $8) RETURNING id
                    """, [.text(file.rootPath), .text(file.path), PostgresValue(file.size), .double(file.modificationTime), .text(file.hash),
                          .text(file.kind), PostgresValue(file.chunks.reduce(0) { $0 + $1.tokenCount }), .double(now)], prepared: true).int64(0, 0)
                for (ordinal, chunk) in file.chunks.enumerated() {
                    let chunkRow = try connection.execute("""
                        WITH chunk AS (
                            INSERT INTO chunks(file_id, ordinal, byte_start, byte_end, line_start, line_end, heading, text, tokens,
                                               location_unit, location_start, location_end, terms, words)
                            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, t.terms, (SELECT coalesce(sum(cardinality(positions)), 0) FROM unnest(t.terms))
                            FROM (SELECT \(PostgresSchema.terms("coalesce($7, '') || ' ' || $8")) AS terms) t
                            RETURNING id, words, terms),
                        postings AS (INSERT INTO chunk_terms(lexeme, chunk_id, tf, words)
                                     SELECT u.lexeme, chunk.id, cardinality(u.positions), chunk.words FROM chunk, unnest(chunk.terms) u)
                        SELECT id, words FROM chunk
                        """, [.int(fileID), PostgresValue(ordinal), PostgresValue(chunk.byteRange.lowerBound), PostgresValue(chunk.byteRange.upperBound),
                              PostgresValue(chunk.lineStart), PostgresValue(chunk.lineEnd), .text(chunk.heading), .text(chunk.text),
                              PostgresValue(chunk.tokenCount), PostgresValue(chunk.location?.unit.rawValue),
                              chunk.location.map { PostgresValue($0.start) } ?? .null, chunk.location.map { PostgresValue($0.end) } ?? .null],
                                                 prepared: true)
                    let chunkID = chunkRow.int64(0, 0)
                    chunks += 1
                    words += chunkRow.int(0, 1)
                    let blobs = file.vectors[ordinal]
                    for (layer, blob) in blobs.sorted(by: { $0.key < $1.key }) {
                        try connection.execute("INSERT INTO vectors(layer, chunk_id, vector) VALUES ($1, $2, $3)", [PostgresValue(layer), .int(chunkID), .bytes(blob)],
                                               prepared: true)
                    }
                    if let dim = nearestNeighborDim, let deepest, let vector = quantizers.decode(blobs: blobs, width: width)[deepest] {
                        try connection.execute("INSERT INTO ann_vectors(chunk_id, embedding) VALUES ($1, $2::halfvec)",
                                               [.int(chunkID), .binary(HalfVector.wire(vector, dim: dim))], prepared: true)
                    }
                    if let target = file.calibrationTargets[ordinal] {
                        try connection.execute("INSERT INTO calibration_targets(chunk_id, vector) VALUES ($1, $2)", [.int(chunkID), .bytes(target)], prepared: true)
                    }
                }
            }
            try connection.execute("UPDATE keyword_totals SET chunks = chunks + $1, words = words + $2", [PostgresValue(chunks), PostgresValue(words)])
        }
    }

    /// Drops the default cell's IVFFlat index for the load and builds it once after, as its
    /// setting asks (its lists are trained on every row instead of on the first few).
    public func bulkLoad<T>(_ body: () throws -> T) throws -> T {
        guard nearestNeighborDim != nil else { return try body() }
        try updateNearestNeighborIndex(.off)
        let value = try body()
        try updateNearestNeighborIndex(try meta(.ivfSetting) ?? .auto)
        return value
    }

    public func replaceQuantizers(_ quantizers: [Int: VectorQuantizer]) throws {
        try transaction { connection in
            try lockMaintenanceForTransaction(connection)
            try connection.execute("DELETE FROM vector_quantizers")
            for (layer, quantizer) in quantizers { try Self.saveQuantizer(quantizer, layer: layer, connection) }
        }
    }
}
