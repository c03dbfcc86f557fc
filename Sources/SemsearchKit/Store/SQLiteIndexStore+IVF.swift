import SemsearchCore
import SemsearchEncoder
import CBLAS
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteIndexStore {
    /// The IVF index's state, or nil when there is none.
    public func ivfState() throws -> IVFState? {
        guard let json = try meta(.ivf) else { return nil }
        return try? JSONDecoder().decode(IVFState.self, from: Data(json.utf8))
    }

    /// The quantizer of the IVF lists' vectors, kept in `vector_quantizers` under layer 0 (no
    /// encoder layer has that number): lists hold their vectors normalized at the IVF cell, a
    /// different range from the layer's stored vectors, so they get ranges of their own.
    static let ivfQuantizerKey = 0

    /// Replaces the whole IVF index (centroids, lists, state) in one transaction. With a
    /// `quantizer` (an index in a compact format) the lists hold its 8-bit codes, else fp16.
    public func replaceIVF(_ state: IVFState, centroids: [Float], entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)],
                           quantizer: VectorQuantizer?) throws {
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try write { db in
            try db.execute(sql: "DELETE FROM ivf_lists; DELETE FROM ivf_centroids;")
            try db.execute(sql: "DELETE FROM vector_quantizers WHERE layer = ?", arguments: [Self.ivfQuantizerKey])
            if let quantizer {
                try Self.saveQuantizer(quantizer, layer: Self.ivfQuantizerKey, db)
            }
            let insertCentroid = try db.cachedStatement(sql: "INSERT INTO ivf_centroids(list_id, centroid) VALUES (?, ?)")
            for list in 0..<state.nlist {
                try insertCentroid.execute(arguments: [list, VectorCodec.encode(centroids[(list * state.dim)..<((list + 1) * state.dim)])])
            }
            try Self.insertEntries(entries, quantizer: quantizer, db)
            try Self.setMeta(.ivf, json, db)
        }
    }

    /// Files new chunks under their lists, in the lists' format.
    public func addIVFEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)]) throws {
        guard !entries.isEmpty else { return }
        try write { db in try Self.insertEntries(entries, quantizer: try Self.quantizers(db)[Self.ivfQuantizerKey], db) }
    }

    private static func insertEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)], quantizer: VectorQuantizer?,
                                      _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO ivf_lists(list_id, chunk_id, vector) VALUES (?, ?, ?)")
        for entry in entries {
            try insert.execute(arguments: [entry.list, entry.chunkID, quantizer.map { $0.encode(entry.vector) } ?? VectorCodec.encode(entry.vector)])
        }
    }

    /// Re-encodes every IVF list entry for `format` after a conversion, in one transaction: 8-bit
    /// codes with ranges fitted on the lists' own vectors for a compact format, fp16 for `fp16`.
    /// Lists and centroids stay as they are. Returns the entries rewritten (0 when there is no IVF
    /// index, or its lists already are in the wanted form).
    @discardableResult
    public func rewriteIVFEntries(for format: VectorFormat) throws -> Int {
        guard let state = try ivfState() else { return 0 }
        return try write { db in
            let old = try Self.quantizers(db)[Self.ivfQuantizerKey]
            guard (format == .fp16) != (old == nil) else { return 0 }
            var lists: [Int32] = [], chunks: [Int64] = [], rows: [Float] = []
            let select = try db.makeStatement(sql: "SELECT list_id, chunk_id, vector FROM ivf_lists")
            try Self.stepVectorRows(select, db, vectorColumn: 2, dim: state.dim, decoder: StoredVectorDecoder(width: state.dim, quantizer: old),
                                    normalize: false) { handle, row in
                lists.append(sqlite3_column_int(handle, 0))
                chunks.append(sqlite3_column_int64(handle, 1))
                rows.append(contentsOf: row)
            }
            var quantizer: VectorQuantizer?
            try db.execute(sql: "DELETE FROM vector_quantizers WHERE layer = ?", arguments: [Self.ivfQuantizerKey])
            if format != .fp16, !chunks.isEmpty {
                let fitted = VectorQuantizer.fit(rows: rows, width: state.dim, bits: 8).recorded(fittedOn: chunks.count)
                quantizer = fitted
                try Self.saveQuantizer(fitted, layer: Self.ivfQuantizerKey, db)
            }
            let update = try db.makeStatement(sql: "UPDATE ivf_lists SET vector = ? WHERE list_id = ? AND chunk_id = ?")
            for (i, chunk) in chunks.enumerated() {
                let vector = rows[(i * state.dim)..<((i + 1) * state.dim)]
                try update.execute(arguments: [quantizer.map { $0.encode(vector) } ?? VectorCodec.encode(vector), lists[i], chunk])
            }
            try Self.setMeta(.vacuumPending, true, db)
            return chunks.count
        }
    }

    /// Removes the IVF index.
    public func dropIVF() throws {
        try write { db in
            try db.execute(sql: "DELETE FROM ivf_lists; DELETE FROM ivf_centroids")
            try Self.removeMeta(.ivf, db)
            try db.execute(sql: "DELETE FROM vector_quantizers WHERE layer = ?", arguments: [Self.ivfQuantizerKey])
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

    /// The chunks filed under `lists`, each with its list vector's dot product with `query` (at
    /// the IVF's dim). The lists hold copies of their vectors, normalized at that dim: fp16, or
    /// the lists' own 8-bit codes, which are scored as they are read with the ranges folded into
    /// the query (`q·x = Σ q·low + Σ (q·step)·c`), so a probe of a million-chunk index makes no
    /// float copy of the 60,000 vectors it reads.
    public func ivfListScores(_ lists: [Int], query: [Float]) throws -> (ids: [Int64], scores: [Float]) {
        try read { db in
            let dim = query.count
            let quantizer = try Self.quantizers(db)[Self.ivfQuantizerKey]
            let byteCodes = quantizer.map { $0.bits == 8 && $0.width == dim } ?? false
            let (weights, bias) = byteCodes ? quantizer!.foldedQuery(query) : (query, 0)
            let decoder = StoredVectorDecoder(width: dim, quantizer: quantizer)
            var ids: [Int64] = [], scores: [Float] = []
            var row = [Float](repeating: 0, count: dim)
            let statement = try db.cachedStatement(sql: "SELECT chunk_id, vector FROM ivf_lists WHERE list_id = ?")
            for list in lists {
                try statement.setArguments([list])
                try Self.stepRows(statement, db) { handle in
                    guard let blob = sqlite3_column_blob(handle, 1) else { return }
                    let bytes = Int(sqlite3_column_bytes(handle, 1))
                    let score: Float
                    if byteCodes, bytes == dim {
                        score = weights.withUnsafeBufferPointer { bias + QuantizedRows.dot(blob.assumingMemoryBound(to: UInt8.self), $0.baseAddress!, dim) }
                    } else {
                        let decoded = row.withUnsafeMutableBufferPointer { decoder.decode(blob, bytes: bytes, dim: dim, into: $0.baseAddress!) }
                        guard decoded else { return }
                        score = cblas_sdot(Int32(dim), row, 1, query, 1)
                    }
                    ids.append(sqlite3_column_int64(handle, 0))
                    scores.append(score)
                }
            }
            return (ids, scores)
        }
    }

    /// Vectors at `layer` (normalized at `dim`) of chunks not yet filed in any IVF list.
    public func vectorsMissingFromIVF(layer: Int, dim: Int) throws -> StoredVectors {
        try read { db in
            let (decoder, chain) = try chainColumns(db, layer: layer)
            return try Self.fetchVectors(db, dim: dim, decoder: decoder, sql: """
                SELECT v.chunk_id, c.file_id, v.vector\(chain.columns) FROM vectors v JOIN chunks c ON c.id = v.chunk_id\(chain.joins)
                WHERE v.layer = ? AND NOT EXISTS (SELECT 1 FROM ivf_lists l WHERE l.chunk_id = v.chunk_id)
                """, arguments: [layer])
        }
    }
}
