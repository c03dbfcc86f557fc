import Foundation
import SemsearchCore
import SemsearchEncoder

/// Copies an index to another store (SQLite to PostgreSQL, back, or to another schema or file)
/// without re-embedding: settings, meta, quantizers, adapters, and every file with its chunks and
/// the stored bytes of its vectors, a batch of files a transaction. The target must hold no index
/// yet. A copy into a store that keeps IVF lists builds them as an index run would; into
/// PostgreSQL, the server's IVFFlat index of the default cell, built once after the rows.
public enum IndexCopy {
    /// What a copy did.
    public struct Summary: Sendable {
        public var files = 0
        public var chunks = 0
        public var seconds = 0.0
    }

    /// Files read and written a batch.
    static let batchFiles = 256

    /// Copies `source` into `target`; `progress` gets the files copied so far after each batch.
    public static func run(from source: any IndexStore, to target: any IndexStore, progress: (Int) -> Void = { _ in }) throws -> Summary {
        let started = ResourceUsage.now()
        guard let settings = try source.settings() else { throw StoreError.empty(source.address) }
        if try target.settings() != nil {
            throw StoreError.failure(path: target.address, reason: "it already holds an index: copy into an empty one (another --db file or schema=)")
        }
        try target.saveSettings(settings)
        try target.setMeta(.vectorFormat, source.vectorFormat())
        if let ivf = try source.meta(.ivfSetting), target.keepsIVFLists { try target.setMeta(.ivfSetting, ivf) }
        if let rotates = try source.meta(.calibrationRotates) { try target.setMeta(.calibrationRotates, rotates) }
        try target.addVocabularyCoverage(source.vocabularyCoverage())
        // Layer 0 holds the IVF lists' ranges, which go with the lists: not copied.
        try target.replaceQuantizers(source.vectorQuantizers().filter { $0.key != 0 })
        try target.replaceAdapters(Array(source.adapters().values).sorted { $0.layer < $1.layer })

        var summary = Summary(), after: Int64 = -1
        try target.bulkLoad {
            while true {
                let files = try source.storedFiles(after: after, limit: batchFiles)
                guard let last = files.last else { break }
                try target.insertStoredFiles(files)
                after = last.id
                summary.files += files.count
                summary.chunks += files.reduce(0) { $0 + $1.chunks.count }
                progress(summary.files)
            }
        }
        if let lastRun = try source.lastRun() { try target.setMeta(.lastRun, lastRun) }
        if target.keepsIVFLists, let deepest = settings.layers.max() {
            _ = try IVFIndex.update(store: target, setting: try target.meta(.ivfSetting) ?? .auto, layer: deepest, dim: settings.hiddenSize)
        }
        try target.checkpoint()
        summary.seconds = ResourceUsage.now() - started
        return summary
    }
}
