import Foundation

/// Fits and keeps up to date the adapters that make early layers worth searching: for every
/// stored layer below the last, a ridge regression from its normalized pooled vectors to the
/// final embeddings of the same chunks (DESIGN.md §2).
///
/// ## Topics
/// - ``fit(store:sample:)``
/// - ``refitIfNeeded(store:)``
public enum LayerCalibration {
    /// Chunks sampled (evenly, by id) for a fit: enough to pin down a 384 × 384 map.
    public static let defaultSample = 20_000
    /// Refit when the chunk count moved by more than this fraction since the last fit.
    public static let refitChange = 0.2

    /// Fits adapters for every stored layer below the model's last and stores them. Returns them.
    @discardableResult
    public static func fit(store: IndexStore, sample: Int = defaultSample) throws -> [LayerAdapter] {
        guard let settings = try store.settings() else { throw StoreError.empty(store.path) }
        let target = settings.layerCount, width = settings.hiddenSize
        guard settings.layers.contains(target) else { throw CalibrationError.targetLayerMissing(target) }
        let all = try store.chunkIDs(layer: target)
        let step = max(1, all.count / max(1, sample))
        let ids = Array(stride(from: 0, to: all.count, by: step).prefix(sample).map { all[$0] })
        let y = try store.vectors(layer: target, dim: width, chunkIDs: ids)
        var adapters: [LayerAdapter] = []
        for layer in settings.layers where layer < target {
            let x = try store.vectors(layer: layer, dim: width, chunkIDs: y.chunkIDs)
            guard x.chunkIDs == y.chunkIDs else { continue }
            let fit = try RidgeRegression.fit(inputs: x.matrix, targets: y.matrix, count: x.chunkIDs.count, inputDim: width, outputDim: width)
            adapters.append(LayerAdapter(layer: layer, targetLayer: target, map: fit.map, residual: fit.meanSquaredResidual, fittedOn: all.count))
        }
        try store.replaceAdapters(adapters)
        return adapters
    }

    /// Fits when there are no adapters yet, or the collection changed by more than `refitChange`
    /// since they were fitted. Returns the new adapters, or nil when the old ones stand (or the
    /// index cannot be calibrated: one layer, or the last not stored).
    public static func refitIfNeeded(store: IndexStore) throws -> [LayerAdapter]? {
        guard let settings = try store.settings(), settings.layers.contains(settings.layerCount),
              settings.layers.contains(where: { $0 < settings.layerCount }) else { return nil }
        let count = try store.vectorCount(layer: settings.layerCount)
        guard count >= 16 else { return nil }
        if let fittedOn = try store.adapters().values.first?.fittedOn,
           abs(Double(count - fittedOn)) <= refitChange * Double(fittedOn) { return nil }
        return try fit(store: store)
    }
}
