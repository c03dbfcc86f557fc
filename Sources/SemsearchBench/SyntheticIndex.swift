import SemsearchKit
import Foundation
import SemsearchCore
import SemsearchEncoder

/// A real index of synthetic chunks, for measuring the store, IVF and cold searches at a scale no
/// test corpus reaches: `count` clustered unit vectors of the model's width, each the one stored
/// layer (the model's last) of a chunk with a short text, a thousand chunks to a file, written
/// through ``IndexStore/store(_:rootID:layers:)`` in the default vector format (in a
/// ``IndexStore/bulkLoad(_:)``: PostgreSQL builds its IVFFlat index once at the end), then finished as
/// an index run is (``IndexFinishing``: compacted, given an IVF index (auto), vacuumed). Files are not on disk, so
/// results are marked stale; everything else is an ordinary index.
public enum SyntheticIndex {
    /// What a build took.
    public struct Summary: Sendable {
        public var chunks: Int
        public var seconds: Double
        public var databaseBytes: Int
        public var ivf: IVFState?
    }

    public static func build(path: String, count: Int, model: EmbeddingModel, clusters: Int,
                             log: (String) -> Void = { _ in }) throws -> Summary {
        let started = ResourceUsage.now()
        let store = try IndexLocation.open(path, create: true)
        guard try store.settings() == nil else { throw StoreError.failure(path: path, reason: "not empty: a synthetic index is written into a new database") }
        let layer = model.layerCount, width = model.hiddenSize
        try store.saveSettings(IndexSettings(model: model.descriptor.name, modelFingerprint: model.descriptor.fingerprint,
                                             layerCount: model.layerCount, hiddenSize: width, layers: [layer],
                                             chunkTokens: 128, overlap: 16, situate: .none))
        try store.setMeta(.vectorFormat, VectorFormat.defaultFormat)
        let root = "/synthetic"
        let rootID = try store.rootID(for: root)
        let perFile = 1000, filesPerBatch = 20
        var written = 0, file = 0
        try store.bulkLoad {
            while written < count {
                var batch: [IndexedFile] = []
                let rows = min(count - written, perFile * filesPerBatch)
                // One set of centres for the whole collection, other points around them each batch.
                let vectors = SyntheticVectors.clustered(count: rows, dim: width, clusters: clusters, pointSeed: 7 &+ UInt64(written))
                var row = 0
                while row < rows {
                    let n = min(perFile, rows - row)
                    var chunks: [TextChunk] = [], chunkVectors: [[[Float]]] = []
                    var offset = 0
                    for i in 0..<n {
                        let text = "Synthetic passage \(written + row + i) of file \(file), cluster topic \((written + row + i) % clusters)."
                        chunks.append(TextChunk(text: text, byteRange: offset..<(offset + text.utf8.count), lineStart: i + 1, lineEnd: i + 1,
                                                heading: "", tokenCount: 16))
                        offset += text.utf8.count + 1
                        chunkVectors.append([Array(vectors[((row + i) * width)..<((row + i + 1) * width)])])
                    }
                    batch.append(IndexedFile(path: String(format: "%@/f%06d.txt", root, file), size: offset, modificationTime: 0,
                                             hash: String(format: "%064x", file), kind: .plain, chunks: chunks, vectors: chunkVectors))
                    row += n
                    file += 1
                }
                try store.store(batch, rootID: rootID, layers: [layer])
                written += rows
                if written % 100_000 == 0 || written == count { log("stored \(written) of \(count) chunks") }
            }
        }
        log("fitting the vector format, rewriting the layer and building the IVF index")
        try store.setMeta(.lastRun, Date())
        let ivf = try IndexFinishing.run(store: store, calibrate: false, ivf: .update(.auto)).ivf
        return Summary(chunks: count, seconds: ResourceUsage.now() - started, databaseBytes: try store.statistics().databaseBytes, ivf: ivf)
    }
}
