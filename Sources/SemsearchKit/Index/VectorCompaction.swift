import Foundation
import SemsearchCore
import SemsearchEncoder

/// Brings an index's stored vectors to its ``VectorFormat`` during an index run (``compactIfDue``),
/// at its end, or in a conversion:
/// - when a stored layer has no quantizer (a new index, or one converted from fp16), one's layout
///   differs from the format's (the format changed, or an older semsearch wrote it), or the
///   collection has doubled since the ranges were fitted, every layer gets a quantizer fitted on
///   the index's own vectors (deepest first, each predicted layer on its base as decoded) and
///   every row is re-encoded, in one transaction;
/// - otherwise only chunks with rows still in fp16 are encoded (runs store codes directly once
///   quantizers exist);
/// - converting to fp16 decodes every row and drops the quantizers.
///
/// Nothing is re-embedded. A kill during the transaction leaves the index as it was; the next run
/// finishes the work. Rewritten rows leave their old pages half empty: callers `vacuum` once they
/// are done writing.
public enum VectorCompaction {
    /// Chunks an index run stores in fp16 before it fits the quantizers (``compactIfDue``): enough
    /// for the clipped ranges (0.05–0.5% of values at each end), few enough that the fp16 rows
    /// weigh tens of MB (8,192 chunks × 6 MiniLM layers × 768 B = 38 MB), where a whole first
    /// index in fp16 weighed four times its final size before the end-of-run compaction.
    public static let earlyFitChunks = 8_192

    /// During an index run, after a batch is stored: fits the quantizers and recodes every row once
    /// the index holds `firstFit` chunks without them, and again each time the collection has
    /// doubled since the fit (``apply(store:format:layers:width:)`` decides what to rewrite), so
    /// the rows stored after it are codes and the file stays near its final size. The space the
    /// rewritten rows free is reused by the next batches; the end of the run vacuums. `chunks` is
    /// the count of chunks with a vector at the deepest stored layer. Returns whether it compacted.
    @discardableResult
    public static func compactIfDue(store: any IndexStore, format: VectorFormat, layers: [Int], width: Int, chunks: Int,
                                    firstFit: Int = earlyFitChunks) throws -> Bool {
        guard format != .fp16, let deepest = layers.max() else { return false }
        func due() throws -> Bool {
            guard let fitted = try store.layerQuantizers()[deepest]?.fittedOn else { return chunks >= firstFit }
            return chunks >= 2 * fitted
        }
        guard try due() else { return false }
        // Asked again under the lock: another writer of the index may have just refitted.
        return try store.withMaintenance {
            guard try due() else { return false }
            try apply(store: store, format: format, layers: layers, width: width)
            return true
        }
    }

    /// About this many chunks fit the ranges: every `count / fitSample`-th, evenly spread over the
    /// collection, so fewer than twice this many.
    public static let fitSample = 20_000

    /// What a compaction did.
    public struct Summary: Sendable, Equatable {
        /// Layers whose every row was rewritten (fitted or converted), and chunks encoded besides.
        public var rewrittenLayers: [Int] = []
        public var encodedRows = 0
    }

    /// Converts `store`'s vectors of `layers` to `format`; `width` is the model's (stored) vector width.
    @discardableResult
    public static func apply(store: any IndexStore, format: VectorFormat, layers: [Int], width: Int) throws -> Summary {
        var summary = Summary()
        let current = try store.layerQuantizers()
        var stored: [Int] = [], count = 0
        for layer in layers.sorted() where layer > 0 {
            let vectors = try store.vectorCount(layer: layer)
            if vectors > 0 { stored.append(layer); count = max(count, vectors) }
        }
        guard let deepest = stored.last else { return summary }
        if format == .fp16 {
            let quantized = stored.filter { current[$0] != nil }
            if !quantized.isEmpty {
                try store.recodeVectors(layers: stored, width: width, to: LayerQuantizers(), onlyUnencoded: false)
                summary.rewrittenLayers = quantized
            }
            return summary
        }
        let refit = stored.contains { layer in
            guard let quantizer = current[layer] else { return true }
            let base = format.predictsFromDeeperLayer && layer != deepest ? stored.first { $0 > layer } : nil
            return quantizer.widths != format.widths(layer: layer, deepest: deepest, width: width)
                || quantizer.prediction?.baseLayer != base || count >= 2 * quantizer.fittedOn
        }
        if refit {
            // Fitted on the vectors as stored (pooled, not normalized): the values the codes stand for.
            let sample = try store.layerSample(layers: stored, width: width, stride: max(1, count / fitSample))
            let quantizers = LayerQuantizers.fit(samples: sample, layers: stored, format: format, width: width, fittedOn: count)
            try store.recodeVectors(layers: stored, width: width, to: quantizers, onlyUnencoded: false)
            summary.rewrittenLayers = stored
        } else {
            summary.encodedRows = try store.recodeVectors(layers: stored, width: width, to: current, onlyUnencoded: true)
        }
        return summary
    }

    /// Converts an index to `format` outside an index run (`index --vectors F` with no folders,
    /// `eval --vectors`): records the format, rewrites the vectors and the IVF lists' copies, and
    /// gives the freed space back. The adapters stay as they are: they were fitted on the vectors
    /// the index had (an index run fits them before compacting), and refitting them on coarser
    /// ones only adds the fit's own noise to the rounding (msmarco-5k: the calibrated cells'
    /// top 10 agree with fp16's 97% kept, 96% refitted).
    /// The end-of-run sequence is ``IndexFinishing`` without calibration or an IVF update.
    @discardableResult
    public static func convert(store: any IndexStore, to format: VectorFormat) throws -> Summary {
        guard try store.settings() != nil else { throw StoreError.empty(store.address) }
        try store.setMeta(.vectorFormat, format)
        return try IndexFinishing.run(store: store, calibrate: false, ivf: .keep).compaction
    }
}
