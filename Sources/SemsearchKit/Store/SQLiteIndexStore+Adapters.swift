import SemsearchCore
import SemsearchEncoder
import Foundation
import GRDB

extension SQLiteIndexStore {
    /// The stored layer adapters, by layer.
    public func adapters() throws -> [Int: LayerAdapter] {
        try read { db in
            var out: [Int: LayerAdapter] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.adapterColumns) FROM layer_adapters") {
                if let adapter = Self.adapter(row) { out[adapter.layer] = adapter }
            }
            return out
        }
    }

    /// The adapter of one layer, if it has one (a search needs only its own layer's 600 KB).
    public func adapter(layer: Int) throws -> LayerAdapter? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.adapterColumns) FROM layer_adapters WHERE layer = ?", arguments: [layer]).flatMap(Self.adapter)
        }
    }

    /// Layers that have an adapter, and the chunk count they were fitted on, without their weights.
    public func adapterSummary() throws -> (layers: Set<Int>, fittedOn: Int?) {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT layer, fitted_on FROM layer_adapters")
            return (Set(rows.map { $0[0] as Int }), rows.first.map { $0[1] as Int })
        }
    }

    private static let adapterColumns = "layer, target_layer, input_dim, output_dim, weights, bias, residual, fitted_on"

    private static func adapter(_ row: Row) -> LayerAdapter? {
        let p: Int = row[2], q: Int = row[3]
        // Weights written since vector formats are fp16 (half the bytes, ~1e-3 relative error,
        // far below the vectors' own); older indexes hold fp32.
        let stored: Data = row[4]
        let weights = stored.count == 2 * p * q ? VectorCodec.decode(stored) : floats(stored), bias = floats(row[5])
        guard weights.count == p * q, bias.count == q else { return nil }
        return LayerAdapter(layer: row[0], targetLayer: row[1], map: LinearMap(inputDim: p, outputDim: q, weights: weights, bias: bias),
                            residual: row[6], fittedOn: row[7])
    }

    /// Replaces every adapter with `adapters`, in one transaction.
    public func replaceAdapters(_ adapters: [LayerAdapter]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM layer_adapters")
            for a in adapters {
                try db.execute(sql: """
                    INSERT INTO layer_adapters(layer, target_layer, input_dim, output_dim, weights, bias, residual, fitted_on, fitted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [a.layer, a.targetLayer, a.map.inputDim, a.map.outputDim, VectorCodec.encode(a.map.weights),
                                     Self.blob(a.map.bias), a.residual, a.fittedOn, Date().timeIntervalSince1970])
            }
        }
    }

    /// Ids of every chunk with a vector at `layer`, ascending.
    public func chunkIDs(layer: Int) throws -> [Int64] {
        try read { try Int64.fetchAll($0, sql: "SELECT chunk_id FROM vectors WHERE layer = ? ORDER BY chunk_id", arguments: [layer]) }
    }

    /// Final-layer vectors (normalized at `dim`) of the chunks in the calibration sample.
    public func calibrationTargets(dim: Int) throws -> StoredVectors {
        try read { db in
            // Calibration targets are always fp16.
            try Self.fetchVectors(db, dim: dim, decoder: StoredVectorDecoder(width: dim, quantizer: nil), sql: """
                SELECT t.chunk_id, c.file_id, t.vector FROM calibration_targets t JOIN chunks c ON c.id = t.chunk_id
                ORDER BY t.chunk_id
                """, arguments: [])
        }
    }

    /// Chunks in the calibration sample.
    public func calibrationTargetCount() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM calibration_targets") ?? 0 }
    }

    /// fp32 values as a BLOB (adapter biases, quantizer ranges).
    static func blob(_ values: [Float]) -> Data { values.withUnsafeBytes { Data($0) } }

    static func floats(_ data: Data) -> [Float] {
        [Float](unsafeUninitializedCapacity: data.count / 4) { buffer, count in
            _ = data.copyBytes(to: buffer)
            count = data.count / 4
        }
    }
}
