import Foundation
import SemsearchCore
import SemsearchEncoder

extension PostgresIndexStore {
    /// Rows a vector load reads a round trip: large enough that the round trips cost little beside
    /// the decoding, small enough that one result (64 K rows of 1.5 KB at most) stays small.
    static let loadPage = 65_536

    public func vectors(layer: Int, dim: Int) throws -> StoredVectors {
        try snapshot { connection in try loadVectors(connection, layer: layer, dim: dim, filter: "", parameters: []) }
    }

    public func vectors(layer: Int, dim: Int, chunkIDs: [Int64]) throws -> StoredVectors {
        guard !chunkIDs.isEmpty else { return StoredVectors(dim: dim, chunkIDs: [], fileIDs: [], matrix: []) }
        return try snapshot { connection in
            try loadVectors(connection, layer: layer, dim: dim, filter: " AND v.chunk_id = ANY($3::bigint[])", parameters: [.ids(chunkIDs)])
        }
    }

    /// The vectors of `layer` (with the BLOBs of its prediction chain) that pass `filter` (SQL on
    /// `v`, parameters from `$3`), decoded at `dim` and normalized, page by page in chunk id order,
    /// in binary rows decoded in place.
    func loadVectors(_ connection: PostgresConnection, layer: Int, dim: Int, filter: String, parameters: [PostgresValue]) throws -> StoredVectors {
        let quantizers = try Self.layerQuantizers(connection)
        let width = try Self.settings(connection)?.hiddenSize ?? quantizers[layer]?.width ?? dim
        let decoder = quantizers.decoder(layer: layer, width: width)
        let chain = Array(quantizers.chain(of: layer).dropFirst())
        let columns = chain.indices.map { ", b\($0).vector" }.joined()
        let joins = chain.enumerated().map { " LEFT JOIN vectors b\($0.offset) ON b\($0.offset).layer = \($0.element) AND b\($0.offset).chunk_id = v.chunk_id" }.joined()
        let sql = """
            SELECT v.chunk_id, c.file_id, v.vector\(columns) FROM vectors v JOIN chunks c ON c.id = v.chunk_id\(joins)
            WHERE v.layer = $1 AND v.chunk_id > $2\(filter) ORDER BY v.chunk_id LIMIT \(Self.loadPage)
            """
        var chunkIDs: [Int64] = [], fileIDs: [Int64] = [], matrix: [Float] = []
        var row = [Float](repeating: 0, count: dim)
        var scratch = [Float](repeating: 0, count: max(1, chain.count * dim))
        var blobs = [(UnsafeRawPointer?, Int)](repeating: (nil, 0), count: decoder.blobCount)
        var after: Int64 = -1
        while true {
            let page = try connection.execute(sql, [PostgresValue(layer), .int(after)] + parameters, binaryResults: true, prepared: true)
            for r in 0..<page.rowCount {
                for level in 0..<decoder.blobCount {
                    blobs[level] = page.isNull(r, 2 + level) ? (nil, 0) : page.raw(r, 2 + level)
                }
                guard let first = blobs[0].0 else { continue }
                let decoded = row.withUnsafeMutableBufferPointer { out in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        decoder.blobCount == 1
                            ? decoder.decode(first, bytes: blobs[0].1, dim: dim, into: out.baseAddress!)
                            : decoder.decode(blobs, dim: dim, scratch: scratch.baseAddress!, into: out.baseAddress!)
                    }
                }
                guard decoded else { continue }
                row.withUnsafeMutableBufferPointer { VectorMath.normalize($0) }
                matrix.append(contentsOf: row)
                chunkIDs.append(page.int64(r, 0))
                fileIDs.append(page.int64(r, 1))
            }
            guard page.rowCount == Self.loadPage else { break }
            after = page.int64(page.rowCount - 1, 0)
        }
        return StoredVectors(dim: dim, chunkIDs: chunkIDs, fileIDs: fileIDs, matrix: matrix)
    }

    /// The settings, read on a connection already in use.
    static func settings(_ connection: PostgresConnection) throws -> IndexSettings? {
        guard let json = try meta(.settings, connection) else { return nil }
        return try? JSONDecoder().decode(IndexSettings.self, from: Data(json.utf8))
    }

    public func vectorBytes() throws -> (perChunk: Double, perLayer: [Int: Double]) {
        try withConnection { connection in
            let result = try connection.execute("SELECT layer, avg(octet_length(vector))::double precision FROM vectors GROUP BY layer")
            var perLayer: [Int: Double] = [:]
            for row in 0..<result.rowCount { perLayer[result.int(row, 0)] = result.double(row, 1) }
            return (perLayer.values.reduce(0, +), perLayer)
        }
    }

    public func layerSample(layers: [Int], width: Int, stride: Int) throws -> [Int: [Float]] {
        let ordered = layers.sorted(by: >)
        guard let deepest = ordered.first else { return [:] }
        return try snapshot { connection in
            let quantizers = try Self.layerQuantizers(connection)
            let others = Array(ordered.dropFirst())
            let columns = others.indices.map { ", l\($0).vector" }.joined()
            let joins = others.enumerated().map { " JOIN vectors l\($0.offset) ON l\($0.offset).layer = \($0.element) AND l\($0.offset).chunk_id = v.chunk_id" }.joined()
            // Every `stride`-th row of the deepest layer, by its place in chunk order.
            let result = try connection.execute("""
                SELECT v.vector\(columns) FROM (
                    SELECT chunk_id, vector, row_number() OVER (ORDER BY chunk_id) - 1 AS place FROM vectors WHERE layer = $1) v\(joins)
                WHERE v.place % $2 = 0 ORDER BY v.chunk_id
                """, [PostgresValue(deepest), PostgresValue(max(1, stride))], binaryResults: true)
            var out = [Int: [Float]](uniqueKeysWithValues: ordered.map { ($0, []) })
            for row in 0..<result.rowCount {
                var blobs: [Int: Data] = [:]
                for (column, layer) in ordered.enumerated() { blobs[layer] = result.bytes(row, column) }
                let vectors = quantizers.decode(blobs: blobs, width: width)
                guard vectors.count == ordered.count else { continue }
                for layer in ordered { out[layer]!.append(contentsOf: vectors[layer]!) }
            }
            return out
        }
    }

    /// As in SQLite, in one transaction, under the maintenance lock (exclusive for the
    /// transaction), so no batch is stored meanwhile with the quantizers being replaced.
    @discardableResult
    public func recodeVectors(layers: [Int], width: Int, to quantizers: LayerQuantizers, onlyUnencoded: Bool) throws -> Int {
        let ordered = layers.sorted(by: >)
        guard let deepest = ordered.first else { return 0 }
        return try transaction { connection in
            try lockMaintenanceForTransaction(connection)
            let old = try Self.layerQuantizers(connection)
            let quantized = ordered.filter { quantizers[$0] != nil }.map(String.init).joined(separator: ",")
            if onlyUnencoded && quantized.isEmpty { return 0 }
            let others = Array(ordered.dropFirst())
            let columns = others.indices.map { ", l\($0).vector" }.joined()
            let joins = others.enumerated().map { " LEFT JOIN vectors l\($0.offset) ON l\($0.offset).layer = \($0.element) AND l\($0.offset).chunk_id = v.chunk_id" }.joined()
            let filter = onlyUnencoded
                ? " AND v.chunk_id IN (SELECT chunk_id FROM vectors WHERE layer IN (\(quantized)) AND octet_length(vector) = \(2 * width))" : ""
            let select = """
                SELECT v.chunk_id, v.vector\(columns) FROM vectors v\(joins)
                WHERE v.layer = \(deepest) AND v.chunk_id > $1\(filter) ORDER BY v.chunk_id LIMIT 4096
                """
            var after: Int64 = -1, recoded = 0
            while true {
                let page = try connection.execute(select, [.int(after)], binaryResults: true)
                guard page.rowCount > 0 else { break }
                after = page.int64(page.rowCount - 1, 0)
                var updateLayers: [Int] = [], updateChunks: [Int64] = [], updateBlobs: [Data] = []
                for row in 0..<page.rowCount {
                    var blobs: [Int: Data] = [:]
                    for (index, layer) in ordered.enumerated() { if let blob = page.optionalBytes(row, index + 1) { blobs[layer] = blob } }
                    let vectors = old.decode(blobs: blobs, width: width)
                    let present = ordered.filter { vectors[$0] != nil }
                    guard present.count == blobs.count else { continue }
                    let encoded = quantizers.encode(layers: present, vectors: present.map { vectors[$0]! })
                    for layer in present where encoded[layer] != blobs[layer] {
                        updateLayers.append(layer)
                        updateChunks.append(page.int64(row, 0))
                        updateBlobs.append(encoded[layer]!)
                    }
                    recoded += 1
                }
                for (index, blob) in updateBlobs.enumerated() {
                    try connection.execute("UPDATE vectors SET vector = $1 WHERE layer = $2 AND chunk_id = $3",
                                           [.bytes(blob), PostgresValue(updateLayers[index]), .int(updateChunks[index])], prepared: true)
                }
            }
            if !onlyUnencoded || old != quantizers {
                try connection.execute("DELETE FROM vector_quantizers WHERE layer = ANY($1::smallint[])",
                                       [.text("{" + ordered.map(String.init).joined(separator: ",") + "}")])
                for layer in ordered { if let quantizer = quantizers[layer] { try Self.saveQuantizer(quantizer, layer: layer, connection) } }
            }
            if recoded > 0 { try Self.setMeta(.vacuumPending, true, connection) }
            return recoded
        }
    }

    // MARK: - Quantizers

    public func vectorQuantizers() throws -> [Int: VectorQuantizer] {
        try withConnection { try Self.quantizers($0) }
    }

    public func layerQuantizers() throws -> LayerQuantizers {
        try withConnection { try Self.layerQuantizers($0) }
    }

    static func layerQuantizers(_ connection: PostgresConnection) throws -> LayerQuantizers {
        LayerQuantizers(try quantizers(connection).filter { $0.key != 0 })
    }

    static func quantizers(_ connection: PostgresConnection) throws -> [Int: VectorQuantizer] {
        let result = try connection.execute("SELECT layer, bits, widths, low, step, fitted_on, base_layer, prediction FROM vector_quantizers",
                                            binaryResults: true)
        var out: [Int: VectorQuantizer] = [:]
        for row in 0..<result.rowCount {
            let layer = result.int(row, 0)
            let low = floats(result.bytes(row, 3)), step = floats(result.bytes(row, 4))
            let widths = result.optionalBytes(row, 2).map { [UInt8]($0) } ?? [UInt8](repeating: UInt8(clamping: result.int(row, 1)), count: low.count)
            let prediction = result.optionalInt(row, 6).map { LayerPrediction(baseLayer: $0, weights: floats(result.bytes(row, 7))) }
            guard widths.count == low.count, step.count == low.count, widths.allSatisfy({ (4...8).contains($0) }),
                  prediction.map({ $0.weights.count == low.count && $0.baseLayer > layer }) ?? true else {
                throw StoreError.failure(path: "the index", reason: "the quantizer of layer \(layer) is damaged; re-index into another schema=")
            }
            out[layer] = VectorQuantizer(widths: widths, low: low, step: step, fittedOn: result.int(row, 5), prediction: prediction)
        }
        return out
    }

    static func saveQuantizer(_ quantizer: VectorQuantizer, layer: Int, _ connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO vector_quantizers(layer, bits, widths, low, step, fitted_on, base_layer, prediction) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (layer) DO UPDATE SET bits = excluded.bits, widths = excluded.widths, low = excluded.low, step = excluded.step,
                fitted_on = excluded.fitted_on, base_layer = excluded.base_layer, prediction = excluded.prediction
            """, [PostgresValue(layer), PostgresValue(quantizer.bitsColumn), quantizer.widthsBlob.map(PostgresValue.bytes) ?? .null,
                  .bytes(quantizer.lowBlob), .bytes(quantizer.stepBlob), PostgresValue(quantizer.fittedOn),
                  quantizer.prediction.map { PostgresValue($0.baseLayer) } ?? .null,
                  quantizer.prediction.map { .bytes($0.weights.withUnsafeBytes { Data($0) }) } ?? .null])
    }

    // MARK: - Adapters and calibration

    public func adapters() throws -> [Int: LayerAdapter] {
        try withConnection { connection in
            let result = try connection.execute("SELECT \(Self.adapterColumns) FROM layer_adapters", binaryResults: true)
            var out: [Int: LayerAdapter] = [:]
            for row in 0..<result.rowCount { if let adapter = Self.adapter(result, row) { out[adapter.layer] = adapter } }
            return out
        }
    }

    public func adapter(layer: Int) throws -> LayerAdapter? {
        try withConnection { connection in
            let result = try connection.execute("SELECT \(Self.adapterColumns) FROM layer_adapters WHERE layer = $1", [PostgresValue(layer)], binaryResults: true)
            return result.rowCount > 0 ? Self.adapter(result, 0) : nil
        }
    }

    public func adapterSummary() throws -> (layers: Set<Int>, fittedOn: Int?) {
        try withConnection { connection in
            let result = try connection.execute("SELECT layer, fitted_on FROM layer_adapters")
            return (Set((0..<result.rowCount).map { result.int($0, 0) }), result.rowCount > 0 ? result.int(0, 1) : nil)
        }
    }

    private static let adapterColumns = "layer, target_layer, input_dim, output_dim, weights, bias, residual, fitted_on"

    private static func adapter(_ result: PostgresResult, _ row: Int) -> LayerAdapter? {
        let p = result.int(row, 2), q = result.int(row, 3)
        let weights = VectorCodec.decode(result.bytes(row, 4)), bias = floats(result.bytes(row, 5))
        guard weights.count == p * q, bias.count == q else { return nil }
        return LayerAdapter(layer: result.int(row, 0), targetLayer: result.int(row, 1),
                            map: LinearMap(inputDim: p, outputDim: q, weights: weights, bias: bias),
                            residual: result.double(row, 6), fittedOn: result.int(row, 7))
    }

    /// Replaces every adapter in one transaction: searches read the old ones until it commits.
    public func replaceAdapters(_ adapters: [LayerAdapter]) throws {
        try transaction { connection in
            try connection.execute("DELETE FROM layer_adapters")
            for a in adapters {
                try connection.execute("""
                    INSERT INTO layer_adapters(layer, target_layer, input_dim, output_dim, weights, bias, residual, fitted_on, fitted_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, [PostgresValue(a.layer), PostgresValue(a.targetLayer), PostgresValue(a.map.inputDim), PostgresValue(a.map.outputDim),
                          .bytes(VectorCodec.encode(a.map.weights)), .bytes(a.map.bias.withUnsafeBytes { Data($0) }),
                          .double(a.residual), PostgresValue(a.fittedOn), .double(Date().timeIntervalSince1970)])
            }
        }
    }

    public func calibrationTargets(dim: Int) throws -> StoredVectors {
        try snapshot { connection in
            let result = try connection.execute("""
                SELECT t.chunk_id, c.file_id, t.vector FROM calibration_targets t JOIN chunks c ON c.id = t.chunk_id ORDER BY t.chunk_id
                """, binaryResults: true)
            var chunkIDs: [Int64] = [], fileIDs: [Int64] = [], matrix: [Float] = []
            var row = [Float](repeating: 0, count: dim)
            for r in 0..<result.rowCount {
                let (pointer, count) = result.raw(r, 2)
                guard count >= 2 * dim else { continue }
                row.withUnsafeMutableBufferPointer { out in
                    HalfPrecision.widen(pointer, count: dim, into: out.baseAddress!)
                    VectorMath.normalize(out)
                }
                matrix.append(contentsOf: row)
                chunkIDs.append(result.int64(r, 0))
                fileIDs.append(result.int64(r, 1))
            }
            return StoredVectors(dim: dim, chunkIDs: chunkIDs, fileIDs: fileIDs, matrix: matrix)
        }
    }

    public func calibrationTargetCount() throws -> Int {
        try withConnection { try $0.execute("SELECT count(*) FROM calibration_targets").int(0, 0) }
    }

    static func floats(_ data: Data) -> [Float] {
        [Float](unsafeUninitializedCapacity: data.count / 4) { buffer, count in
            _ = data.copyBytes(to: buffer)
            count = data.count / 4
        }
    }
}
