import Foundation
import GRDB
import SemsearchCore
import SemsearchEncoder

extension SQLiteIndexStore {
    public func storedFiles(after: Int64, limit: Int) throws -> [StoredFile] {
        try read { db in
            var files: [StoredFile] = []
            let fileRows = try Row.fetchAll(db, sql: """
                SELECT f.id, r.path AS root, f.path, f.size, f.mtime, f.hash, f.kind FROM files f JOIN roots r ON r.id = f.root_id
                WHERE f.id > ? ORDER BY f.id LIMIT ?
                """, arguments: [after, limit])
            let chunkStatement = try db.cachedStatement(sql: """
                SELECT c.id, c.byte_start, c.byte_end, c.line_start, c.line_end, c.heading, c.text, c.tokens,
                       c.location_unit, c.location_start, c.location_end, t.vector
                FROM chunks c LEFT JOIN calibration_targets t ON t.chunk_id = c.id WHERE c.file_id = ? ORDER BY c.ordinal
                """)
            let vectorStatement = try db.cachedStatement(sql: "SELECT layer, vector FROM vectors WHERE chunk_id = ? AND layer IN (SELECT layer FROM stored_layers)")
            for row in fileRows {
                var chunks: [TextChunk] = [], vectors: [[Int: Data]] = [], targets: [Data?] = []
                for chunk in try Row.fetchAll(chunkStatement, arguments: [row["id"] as Int64]) {
                    chunks.append(TextChunk(text: chunk[6], byteRange: chunk[1]..<chunk[2], lineStart: chunk[3], lineEnd: chunk[4], heading: chunk[5],
                                            tokenCount: chunk[7],
                                            location: (chunk[8] as String?).flatMap(DocumentLocation.Unit.init(rawValue:)).map {
                                                DocumentLocation(unit: $0, start: chunk[9], end: chunk[10])
                                            }))
                    targets.append(chunk[11] as Data?)
                    var layers: [Int: Data] = [:]
                    for vector in try Row.fetchAll(vectorStatement, arguments: [chunk[0] as Int64]) { layers[vector[0]] = vector[1] as Data }
                    vectors.append(layers)
                }
                files.append(StoredFile(id: row["id"], rootPath: row["root"], path: row["path"], size: row["size"], modificationTime: row["mtime"],
                                        hash: row["hash"], kind: row["kind"], chunks: chunks, vectors: vectors, calibrationTargets: targets))
            }
            return files
        }
    }

    public func insertStoredFiles(_ files: [StoredFile]) throws {
        let now = Date().timeIntervalSince1970
        try write { db in
            let root = try db.cachedStatement(sql: "INSERT INTO roots(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING")
            let insertFile = try db.cachedStatement(sql: """
                INSERT INTO files(root_id, path, size, mtime, hash, kind, tokens, indexed_at)
                VALUES ((SELECT id FROM roots WHERE path = ?), ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertChunk = try db.cachedStatement(sql: """
                INSERT INTO chunks(file_id, ordinal, byte_start, byte_end, line_start, line_end, heading, text, tokens,
                                   location_unit, location_start, location_end)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertVector = try db.cachedStatement(sql: "INSERT INTO vectors(layer, chunk_id, vector) VALUES (?, ?, ?)")
            let insertTarget = try db.cachedStatement(sql: "INSERT INTO calibration_targets(chunk_id, vector) VALUES (?, ?)")
            for file in files {
                try root.execute(arguments: [file.rootPath, now])
                try insertFile.execute(arguments: [file.rootPath, file.path, file.size, file.modificationTime, file.hash, file.kind,
                                                   file.chunks.reduce(0) { $0 + $1.tokenCount }, now])
                let fileID = db.lastInsertedRowID
                for (ordinal, chunk) in file.chunks.enumerated() {
                    try insertChunk.execute(arguments: [fileID, ordinal, chunk.byteRange.lowerBound, chunk.byteRange.upperBound,
                                                        chunk.lineStart, chunk.lineEnd, chunk.heading, chunk.text, chunk.tokenCount,
                                                        chunk.location?.unit.rawValue, chunk.location?.start, chunk.location?.end])
                    let chunkID = db.lastInsertedRowID
                    for (layer, blob) in file.vectors[ordinal].sorted(by: { $0.key < $1.key }) {
                        try insertVector.execute(arguments: [layer, chunkID, blob])
                    }
                    if let target = file.calibrationTargets[ordinal] { try insertTarget.execute(arguments: [chunkID, target]) }
                }
            }
        }
    }

    /// SQLite keeps nothing that a bulk load could build later (FTS5 and the keys grow as rows come).
    public func bulkLoad<T>(_ body: () throws -> T) throws -> T { try body() }

    public func replaceQuantizers(_ quantizers: [Int: VectorQuantizer]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM vector_quantizers")
            for (layer, quantizer) in quantizers { try Self.saveQuantizer(quantizer, layer: layer, db) }
        }
    }
}
