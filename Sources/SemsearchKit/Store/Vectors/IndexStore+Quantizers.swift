import Foundation
import GRDB
import GRDBSQLite
import SemsearchCore
import SemsearchEncoder

extension IndexStore {
    /// The quantizer of every layer that has one.
    public func vectorQuantizers() throws -> [Int: VectorQuantizer] {
        try read { db in try Self.quantizers(db) }
    }

    static func quantizers(_ db: Database) throws -> [Int: VectorQuantizer] {
        var out: [Int: VectorQuantizer] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT layer, bits, widths, low, step, fitted_on FROM vector_quantizers") {
            let low = Self.floats(row["low"]), step = Self.floats(row["step"])
            let widths = (row["widths"] as Data?).map { [UInt8]($0) } ?? [UInt8](repeating: UInt8(row["bits"] as Int), count: low.count)
            guard widths.count == low.count, widths.allSatisfy({ (4...8).contains($0) }) else {
                throw StoreError.failure(path: db.description, reason: "the quantizer of layer \(row["layer"] as Int) is damaged; re-index into another --db")
            }
            out[row["layer"]] = VectorQuantizer(widths: widths, low: low, step: step, fittedOn: row["fitted_on"])
        }
        return out
    }

    /// How to read `layer`'s stored vectors.
    func decoder(_ db: Database, layer: Int) throws -> StoredVectorDecoder {
        let quantizer = try Self.quantizers(db)[layer]
        let width = try settings(db)?.hiddenSize ?? quantizer?.width ?? 0
        return StoredVectorDecoder(width: width, quantizer: quantizer)
    }

    /// The settings, read inside a transaction already open.
    private func settings(_ db: Database) throws -> IndexSettings? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'settings'") else { return nil }
        return try? JSONDecoder().decode(IndexSettings.self, from: Data(json.utf8))
    }

    /// Average stored bytes of a chunk's vectors (all layers) and of each layer, for `status`.
    public func vectorBytes() throws -> (perChunk: Double, perLayer: [Int: Double]) {
        try read { db in
            var perLayer: [Int: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT layer, AVG(LENGTH(vector)) AS bytes FROM vectors GROUP BY layer") {
                perLayer[row["layer"]] = row["bytes"]
            }
            return (perLayer.values.reduce(0, +), perLayer)
        }
    }

    /// Rewrites every vector of `layer` decoded with the layer's current format and encoded by
    /// `encode`, and sets its quantizer to `quantizer` (nil: fp16), all in one transaction, so a
    /// kill leaves the layer wholly as it was or wholly converted.
    func rewriteVectors(layer: Int, quantizer: VectorQuantizer?, width: Int) throws {
        try write { db in
            let old = StoredVectorDecoder(width: width, quantizer: try Self.quantizers(db)[layer])
            let select = try db.makeStatement(sql: "SELECT chunk_id, vector FROM vectors WHERE layer = ?")
            try select.setArguments([layer])
            var rewritten: [(Int64, Data)] = []
            try Self.stepVectorRows(select, db, vectorColumn: 1, dim: width, decoder: old, normalize: false) { handle, row in
                rewritten.append((sqlite3_column_int64(handle, 0), quantizer.map { $0.encode(row) } ?? VectorCodec.encode(row)))
            }
            let update = try db.makeStatement(sql: "UPDATE vectors SET vector = ? WHERE layer = ? AND chunk_id = ?")
            for (chunk, blob) in rewritten { try update.execute(arguments: [blob, layer, chunk]) }
            if let quantizer {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO vector_quantizers(layer, bits, widths, low, step, fitted_on) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [layer, quantizer.bitsColumn, quantizer.widthsBlob, quantizer.lowBlob, quantizer.stepBlob, quantizer.fittedOn])
            } else {
                try db.execute(sql: "DELETE FROM vector_quantizers WHERE layer = ?", arguments: [layer])
            }
            // Rows shrunk in place leave pages half empty; the flag survives a kill until a vacuum.
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('vacuum_pending', '1')")
        }
    }

    /// Vacuums when a rewrite of vectors asked for it (and was not followed by one yet); returns
    /// whether it did.
    @discardableResult
    public func vacuumIfPending() throws -> Bool {
        guard try meta("vacuum_pending") != nil else { return false }
        try vacuum()
        try write { db in try db.execute(sql: "DELETE FROM meta WHERE key = 'vacuum_pending'") }
        return true
    }

    /// Every `stride`-th stored vector of `layer`, decoded at full width but not normalized (the
    /// values a quantizer encodes), row-major.
    func rawVectorSample(layer: Int, width: Int, stride: Int) throws -> [Float] {
        try read { db in
            let select = try db.makeStatement(sql: "SELECT vector FROM vectors WHERE layer = ? ORDER BY chunk_id")
            try select.setArguments([layer])
            var rows: [Float] = [], index = 0
            try Self.stepVectorRows(select, db, vectorColumn: 0, dim: width, decoder: try decoder(db, layer: layer), normalize: false) { _, row in
                if index % stride == 0 { rows.append(contentsOf: row) }
                index += 1
            }
            return rows
        }
    }

    /// Encodes `layer`'s fp16 rows with its quantizer (rows written before the quantizer existed).
    func compactRemainingVectors(layer: Int, quantizer: VectorQuantizer) throws -> Int {
        try write { db in
            let select = try db.makeStatement(sql: "SELECT chunk_id, vector FROM vectors WHERE layer = ? AND LENGTH(vector) = ?")
            try select.setArguments([layer, 2 * quantizer.width])
            var rewritten: [(Int64, Data)] = []
            let fp16 = StoredVectorDecoder(width: quantizer.width, quantizer: nil)
            try Self.stepVectorRows(select, db, vectorColumn: 1, dim: quantizer.width, decoder: fp16, normalize: false) { handle, row in
                rewritten.append((sqlite3_column_int64(handle, 0), quantizer.encode(row)))
            }
            let update = try db.makeStatement(sql: "UPDATE vectors SET vector = ? WHERE layer = ? AND chunk_id = ?")
            for (chunk, blob) in rewritten { try update.execute(arguments: [blob, layer, chunk]) }
            return rewritten.count
        }
    }
}
