import Foundation
import SemsearchCore
import SemsearchEncoder

/// Brings an index's stored vectors to its ``VectorFormat`` at the end of an index run (or of a
/// conversion). For each stored layer:
/// - a layer without a quantizer (a new index, or one converted from fp16), one whose format
///   changed, or one whose collection has doubled since its ranges were fitted, gets a quantizer
///   fitted on its own vectors and every row rewritten under it, in one transaction;
/// - otherwise only rows still in fp16 are encoded (runs store codes directly once a quantizer exists);
/// - converting to fp16 decodes every row and drops the quantizer.
///
/// Nothing is re-embedded. A kill during a layer's transaction leaves that layer as it was; the
/// next run finishes the work. Rewritten rows leave their old pages half empty: callers
/// `vacuum` once they are done writing (after refitting adapters).
public enum VectorCompaction {
    /// Rows used to fit a layer's ranges, at most (evenly spread over the collection).
    public static let fitSample = 50_000

    /// What a compaction did.
    public struct Summary: Sendable, Equatable {
        /// Layers whose every row was rewritten (fitted or converted), and rows encoded besides.
        public var rewrittenLayers: [Int] = []
        public var encodedRows = 0
    }

    /// Converts `store`'s vectors to `format`; `width` is the model's (stored) vector width.
    @discardableResult
    public static func apply(store: IndexStore, format: VectorFormat, layers: [Int], width: Int) throws -> Summary {
        var summary = Summary()
        let quantizers = try store.vectorQuantizers()
        let deepest = layers.max() ?? 0
        for layer in layers where layer > 0 {
            let count = try store.vectorCount(layer: layer)
            guard count > 0 else { continue }
            let current = quantizers[layer]
            guard let widths = format.widths(layer: layer, deepest: deepest, width: width) else {
                if current != nil {
                    try store.rewriteVectors(layer: layer, quantizer: nil, width: width)
                    summary.rewrittenLayers.append(layer)
                }
                continue
            }
            if let current, current.widths == widths, count < 2 * current.fittedOn {
                summary.encodedRows += try store.compactRemainingVectors(layer: layer, quantizer: current)
                continue
            }
            // Fitted on the vectors as stored (pooled, not normalized): the values the codes stand for.
            let sample = try store.rawVectorSample(layer: layer, width: width, stride: max(1, count / fitSample))
            let quantizer = VectorQuantizer.fit(rows: sample, widths: widths).recorded(fittedOn: count)
            try store.rewriteVectors(layer: layer, quantizer: quantizer, width: width)
            summary.rewrittenLayers.append(layer)
        }
        return summary
    }

    /// Converts an index to `format` outside an index run (`index --vectors F` with no folders,
    /// `eval --vectors`): records the format, rewrites the vectors and the IVF lists' copies,
    /// refits the adapters on what searches will now read when any were fitted, and gives the
    /// freed space back.
    @discardableResult
    public static func convert(store: IndexStore, to format: VectorFormat, principalAxes: Bool? = nil) throws -> Summary {
        guard let settings = try store.settings() else { throw StoreError.empty(store.path) }
        try store.setMeta("vector_format", format.rawValue)
        let summary = try apply(store: store, format: format, layers: settings.layers, width: settings.hiddenSize)
        // The IVF lists keep copies of their vectors: they follow the format too.
        try store.rewriteIVFEntries(for: format)
        if !summary.rewrittenLayers.isEmpty, try !store.adapters().isEmpty {
            _ = try LayerCalibration.fit(store: store, principalAxes: principalAxes)
        }
        try store.vacuumIfPending()
        return summary
    }
}
