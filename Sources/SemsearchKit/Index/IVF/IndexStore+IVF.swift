import SemsearchCore
import SemsearchEncoder
import Foundation
import GRDB
import GRDBSQLite

extension IndexStore {
    /// The IVF index's state, or nil when there is none.
    public func ivfState() throws -> IVFState? {
        guard let json = try meta("ivf") else { return nil }
        return try? JSONDecoder().decode(IVFState.self, from: Data(json.utf8))
    }

    /// Replaces the whole IVF index (centroids, lists, state) in one transaction.
    public func replaceIVF(_ state: IVFState, centroids: [Float], entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)]) throws {
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try write { db in
            try db.execute(sql: "DELETE FROM ivf_lists; DELETE FROM ivf_centroids;")
            let insertCentroid = try db.cachedStatement(sql: "INSERT INTO ivf_centroids(list_id, centroid) VALUES (?, ?)")
            for list in 0..<state.nlist {
                try insertCentroid.execute(arguments: [list, VectorCodec.encode(centroids[(list * state.dim)..<((list + 1) * state.dim)])])
            }
            try Self.insertEntries(entries, db)
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('ivf', ?)", arguments: [json])
        }
    }

    /// Files new chunks under their lists.
    public func addIVFEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)]) throws {
        guard !entries.isEmpty else { return }
        try write { try Self.insertEntries(entries, $0) }
    }

    private static func insertEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)], _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO ivf_lists(list_id, chunk_id, vector) VALUES (?, ?, ?)")
        for entry in entries { try insert.execute(arguments: [entry.list, entry.chunkID, VectorCodec.encode(entry.vector)]) }
    }

    /// Removes the IVF index.
    public func dropIVF() throws {
        try write { db in
            try db.execute(sql: "DELETE FROM ivf_lists; DELETE FROM ivf_centroids; DELETE FROM meta WHERE key = 'ivf';")
        }
    }

    /// The centroids (`nlist × dim`).
    public func ivfCentroids(_ state: IVFState) throws -> [Float] {
        try read { db in
            var out = [Float](repeating: 0, count: state.nlist * state.dim)
            for row in try Row.fetchAll(db, sql: "SELECT list_id, centroid FROM ivf_centroids") {
                let list: Int = row[0]
                guard list < state.nlist else { continue }
                let blob: Data = row[1]
                out.withUnsafeMutableBufferPointer { _ = VectorCodec.decode(blob, count: state.dim, into: $0.baseAddress! + list * state.dim) }
            }
            return out
        }
    }

    /// The chunk ids and vectors filed under `lists`, appended to `ids` and `matrix`.
    public func ivfLists(_ lists: [Int], dim: Int, ids: inout [Int64], matrix: inout [Float]) throws {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT chunk_id, vector FROM ivf_lists WHERE list_id = ?")
            for list in lists {
                try statement.setArguments([list])
                // IVF lists hold fp16 copies of their vectors, normalized at the IVF's dim.
                try Self.stepVectorRows(statement, db, vectorColumn: 1, dim: dim, decoder: StoredVectorDecoder(width: dim, quantizer: nil),
                                        normalize: false) { handle, row in
                    matrix.append(contentsOf: row)
                    ids.append(sqlite3_column_int64(handle, 0))
                }
            }
        }
    }

    /// Vectors at `layer` (normalized at `dim`) of chunks not yet filed in any IVF list.
    public func vectorsMissingFromIVF(layer: Int, dim: Int) throws -> StoredVectors {
        try read { db in
            try Self.fetchVectors(db, dim: dim, decoder: try decoder(db, layer: layer), sql: """
                SELECT v.chunk_id, c.file_id, v.vector FROM vectors v JOIN chunks c ON c.id = v.chunk_id
                WHERE v.layer = ? AND NOT EXISTS (SELECT 1 FROM ivf_lists l WHERE l.chunk_id = v.chunk_id)
                """, arguments: [layer])
        }
    }
}
