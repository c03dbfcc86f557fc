import Foundation
import GRDB
import GRDBSQLite
import SemsearchCore
import SemsearchEncoder

extension SQLiteIndexStore {
    /// The quantizer of every layer that has one (layer 0: the IVF lists').
    public func vectorQuantizers() throws -> [Int: VectorQuantizer] {
        try read { db in try Self.quantizers(db) }
    }

    /// The quantizers of the stored layers, with their prediction chains.
    public func layerQuantizers() throws -> LayerQuantizers {
        try read { db in try Self.layerQuantizers(db) }
    }

    static func layerQuantizers(_ db: Database) throws -> LayerQuantizers {
        LayerQuantizers(try quantizers(db).filter { $0.key != ivfQuantizerKey })
    }

    /// SQL that brings each row of `vectors v` the BLOBs of `layers` of the same chunk: `columns`
    /// (`, p0.vector, p1.vector …`) to follow a selected column, and `joins` to follow `FROM vectors
    /// v`; with `required`, a chunk missing one of them is left out, else its BLOB is NULL.
    static func layerJoins(_ layers: [Int], prefix: String, required: Bool) -> (columns: String, joins: String) {
        var columns = "", joins = ""
        for (index, layer) in layers.enumerated() {
            let alias = "\(prefix)\(index)"
            columns += ", \(alias).vector"
            joins += " \(required ? "" : "LEFT ")JOIN vectors \(alias) ON \(alias).layer = \(layer) AND \(alias).chunk_id = v.chunk_id"
        }
        return (columns, joins)
    }

    static func quantizers(_ db: Database) throws -> [Int: VectorQuantizer] {
        var out: [Int: VectorQuantizer] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT layer, bits, widths, low, step, fitted_on, base_layer, prediction FROM vector_quantizers") {
            let layer: Int = row["layer"]
            let low = Self.floats(row["low"]), step = Self.floats(row["step"])
            let widths = (row["widths"] as Data?).map { [UInt8]($0) } ?? [UInt8](repeating: UInt8(clamping: row["bits"] as Int), count: low.count)
            let prediction = (row["base_layer"] as Int?).map { LayerPrediction(baseLayer: $0, weights: Self.floats(row["prediction"])) }
            guard widths.count == low.count, step.count == low.count, widths.allSatisfy({ (4...8).contains($0) }),
                  prediction.map({ $0.weights.count == low.count && $0.baseLayer > layer }) ?? true else {
                throw StoreError.failure(path: db.description, reason: "the quantizer of layer \(layer) is damaged; re-index into another --db")
            }
            out[layer] = VectorQuantizer(widths: widths, low: low, step: step, fittedOn: row["fitted_on"], prediction: prediction)
        }
        return out
    }

    /// Writes `quantizer` as `layer`'s (or the IVF lists', layer 0), replacing any.
    static func saveQuantizer(_ quantizer: VectorQuantizer, layer: Int, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO vector_quantizers(layer, bits, widths, low, step, fitted_on, base_layer, prediction)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [layer, quantizer.bitsColumn, quantizer.widthsBlob, quantizer.lowBlob, quantizer.stepBlob, quantizer.fittedOn,
                             quantizer.prediction?.baseLayer, quantizer.prediction.map { $0.weights.withUnsafeBytes { Data($0) } }])
    }

    /// How to read `layer`'s stored vectors, and the SQL that brings each row its chain's BLOBs
    /// (see ``layerJoins(_:prefix:required:)``; `columns` follow `v.vector`).
    func chainColumns(_ db: Database, layer: Int) throws -> (StoredVectorDecoder, (columns: String, joins: String)) {
        let quantizers = try Self.layerQuantizers(db)
        let width = try settings(db)?.hiddenSize ?? quantizers[layer]?.width ?? 0
        let chain = Self.layerJoins(Array(quantizers.chain(of: layer).dropFirst()), prefix: "b", required: false)
        return (quantizers.decoder(layer: layer, width: width), chain)
    }

    /// The settings, read inside a transaction already open.
    private func settings(_ db: Database) throws -> IndexSettings? {
        guard let json = try Self.meta(.settings, db) else { return nil }
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

    /// Chunks recoded a transaction step: their vectors of every layer are held decoded at once.
    static let recodeBatch = 4096

    /// Re-encodes the vectors of `layers` (`width` wide) under `quantizers`, decoding them with the
    /// quantizers they were stored under, and makes `quantizers` the layers' own (a layer missing
    /// from it becomes fp16), all in one transaction: a kill leaves every layer as it was or every
    /// layer converted, so a prediction chain is never split between two fits. With `onlyUnencoded`
    /// only chunks with an fp16 row in a quantized layer are touched. Returns the chunks recoded.
    @discardableResult
    public func recodeVectors(layers: [Int], width: Int, to quantizers: LayerQuantizers, onlyUnencoded: Bool) throws -> Int {
        let ordered = layers.sorted(by: >)
        guard let deepest = ordered.first else { return 0 }
        return try write { db in
            let old = try Self.layerQuantizers(db)
            let (columns, joins) = Self.layerJoins(Array(ordered.dropFirst()), prefix: "l", required: false)
            let quantized = ordered.filter { quantizers[$0] != nil }.map(String.init).joined(separator: ",")
            // With no quantized layer there is no row left to encode.
            if onlyUnencoded && quantized.isEmpty { return 0 }
            let filter = onlyUnencoded
                ? " AND v.chunk_id IN (SELECT chunk_id FROM vectors WHERE layer IN (\(quantized)) AND LENGTH(vector) = \(2 * width))" : ""
            let select = try db.makeStatement(sql: """
                SELECT v.chunk_id, v.vector\(columns) FROM vectors v\(joins)
                WHERE v.layer = \(deepest) AND v.chunk_id > ?\(filter) ORDER BY v.chunk_id LIMIT \(Self.recodeBatch)
                """)
            let update = try db.makeStatement(sql: "UPDATE vectors SET vector = ? WHERE layer = ? AND chunk_id = ?")
            var after: Int64 = -1, recoded = 0
            while true {
                var batch: [(Int64, [Int: Data])] = []
                for row in try Row.fetchAll(select, arguments: [after]) {
                    var blobs: [Int: Data] = [:]
                    for (index, layer) in ordered.enumerated() { blobs[layer] = row[index + 1] as Data? }
                    batch.append((row[0], blobs))
                }
                guard let last = batch.last?.0 else { break }
                after = last
                for (chunk, blobs) in batch {
                    let vectors = old.decode(blobs: blobs, width: width)
                    let present = ordered.filter { vectors[$0] != nil }
                    // A chunk whose vectors cannot all be read is left as it is (searches skip what they cannot read).
                    guard present.count == blobs.values.count else { continue }
                    let encoded = quantizers.encode(layers: present, vectors: present.map { vectors[$0]! })
                    for layer in present where encoded[layer] != blobs[layer] {
                        try update.execute(arguments: [encoded[layer]!, layer, chunk])
                    }
                    recoded += 1
                }
            }
            if !onlyUnencoded || old != quantizers {
                try db.execute(sql: "DELETE FROM vector_quantizers WHERE layer IN (\(ordered.map(String.init).joined(separator: ",")))")
                for layer in ordered { if let quantizer = quantizers[layer] { try Self.saveQuantizer(quantizer, layer: layer, db) } }
            }
            // Rows shrunk in place leave pages half empty; the flag survives a kill until a vacuum.
            if recoded > 0 { try Self.setMeta(.vacuumPending, true, db) }
            return recoded
        }
    }

    /// Vacuums when a rewrite of vectors asked for it (and was not followed by one yet); returns
    /// whether it did.
    @discardableResult
    public func vacuumIfPending() throws -> Bool {
        guard try meta(.vacuumPending) != nil else { return false }
        try vacuum()
        try write { db in try Self.removeMeta(.vacuumPending, db) }
        return true
    }

    /// Every `stride`-th chunk's vectors of `layers`, decoded at full width but not normalized (the
    /// values a quantizer encodes), row-major per layer and aligned: row `r` of every layer is the
    /// same chunk. Chunks missing a layer are left out.
    public func layerSample(layers: [Int], width: Int, stride: Int) throws -> [Int: [Float]] {
        let ordered = layers.sorted(by: >)
        guard let deepest = ordered.first else { return [:] }
        return try read { db in
            let quantizers = try Self.layerQuantizers(db)
            let (columns, joins) = Self.layerJoins(Array(ordered.dropFirst()), prefix: "l", required: true)
            let select = try db.makeStatement(sql: "SELECT v.vector\(columns) FROM vectors v\(joins) WHERE v.layer = \(deepest) ORDER BY v.chunk_id")
            var out = [Int: [Float]](uniqueKeysWithValues: ordered.map { ($0, []) }), index = 0
            let rows = try Row.fetchCursor(select)
            while let row = try rows.next() {
                defer { index += 1 }
                guard index % stride == 0 else { continue }
                var blobs: [Int: Data] = [:]
                for (column, layer) in ordered.enumerated() { blobs[layer] = row[column] as Data? }
                let vectors = quantizers.decode(blobs: blobs, width: width)
                guard vectors.count == ordered.count else { continue }
                for layer in ordered { out[layer]!.append(contentsOf: vectors[layer]!) }
            }
            return out
        }
    }
}
