import SemsearchCore
import SemsearchEncoder
import Foundation

/// Fits and keeps up to date the adapters that make early layers worth searching: for every
/// stored layer below the last, a ridge regression from its normalized pooled vectors to the
/// final embeddings of the same chunks (docs/ARCHITECTURE.md §2).
///
/// ## Topics
/// - ``fit(store:sample:principalAxes:)``
/// - ``refitIfNeeded(store:principalAxes:)``
public enum LayerCalibration {
    /// Chunks sampled (evenly, by id) for a fit: enough to pin down a 384 × 384 map.
    public static let defaultSample = 20_000
    /// Ridge strength (relative to the mean diagonal of the Gram matrix), shrinking each map toward
    /// the identity: layers share the residual stream, so "no change" is the right prior. Chosen on
    /// msmarco-5k (`semsearch calibrate --sample N` then `eval --db`): with 5,000 chunks λ = 1e-3
    /// toward zero gave L1/L3/L5 nDCG@10 0.572/0.585/0.637 and 0.3 toward I 0.570/0.591/0.636; with
    /// 500 chunks the first collapsed to 0.282/0.325/0.542 while the second kept 0.563/0.578/0.623.
    public static let ridge: Float = 0.3
    /// Refit when the chunk count moved by more than this fraction since the last fit.
    public static let refitChange = 0.2

    /// Fits adapters for every stored layer below the model's last and stores them. Returns them.
    ///
    /// With `principalAxes` (remembered for later refits; nil keeps the index's choice), the final
    /// embedding is also rotated onto its principal axes (`PrincipalAxes`): the last layer gets the
    /// rotation as its adapter and every other adapter is composed with it.
    @discardableResult
    public static func fit(store: any IndexStore, sample: Int = defaultSample, principalAxes: Bool? = nil) throws -> [LayerAdapter] {
        guard let settings = try store.settings() else { throw StoreError.empty(store.address) }
        let target = settings.layerCount, width = settings.hiddenSize
        let y: StoredVectors
        let total: Int
        if settings.layers.contains(target) {
            let all = try store.chunkIDs(layer: target)
            let step = max(1, all.count / max(1, sample))
            let ids = Array(stride(from: 0, to: all.count, by: step).prefix(sample).map { all[$0] })
            y = try store.vectors(layer: target, dim: width, chunkIDs: ids)
            total = all.count
        } else if settings.encodedLayers != nil {
            // An early-exit index: the sample encoded at full depth holds the targets.
            y = try store.calibrationTargets(dim: width)
            total = try store.vectorCount(layer: settings.layers.max() ?? 1)
        } else {
            throw CalibrationError.targetLayerMissing(target)
        }
        let rotate = try principalAxes ?? (store.meta(.calibrationRotates) == true)
        try store.setMeta(.calibrationRotates, rotate)
        let rotation = rotate ? try PrincipalAxes.rotation(of: y.matrix, count: y.chunkIDs.count, dim: width) : nil
        var adapters: [LayerAdapter] = []
        for layer in settings.layers where layer < target {
            let x = try store.vectors(layer: layer, dim: width, chunkIDs: y.chunkIDs)
            guard x.chunkIDs == y.chunkIDs else { continue }
            let fit = try RidgeRegression.fit(inputs: x.matrix, targets: y.matrix, count: x.chunkIDs.count, inputDim: width, outputDim: width,
                                              lambda: ridge, towardIdentity: true)
            let map = rotation.map { fit.map.followed(by: $0) } ?? fit.map
            adapters.append(LayerAdapter(layer: layer, targetLayer: target, map: map, residual: fit.meanSquaredResidual, fittedOn: total))
        }
        if let rotation {
            adapters.append(LayerAdapter(layer: target, targetLayer: target, map: rotation, residual: 0, fittedOn: total))
        }
        try store.replaceAdapters(adapters)
        return adapters
    }

    /// Fits when there are no adapters yet, or the collection changed by more than `refitChange`
    /// since they were fitted. Returns the new adapters, or nil when the old ones stand (or the
    /// index cannot be calibrated: a single stored layer, the last layer neither stored nor
    /// sampled at full depth, or fewer than 16 chunks).
    /// `principalAxes`, when given and different from the index's choice, forces a refit.
    public static func refitIfNeeded(store: any IndexStore, principalAxes: Bool? = nil) throws -> [LayerAdapter]? {
        guard let settings = try store.settings(), settings.layers.contains(settings.layerCount) || settings.encodedLayers != nil,
              settings.layers.contains(where: { $0 < settings.layerCount }) else { return nil }
        let count = try store.vectorCount(layer: settings.layers.max()!)
        guard count >= 16 else { return nil }
        let rotated = try store.meta(.calibrationRotates) == true
        let switching = principalAxes.map { $0 != rotated } ?? false
        if !switching, let fittedOn = try store.adapterSummary().fittedOn,
           abs(Double(count - fittedOn)) <= refitChange * Double(fittedOn) { return nil }
        do { return try fit(store: store, principalAxes: principalAxes) } catch CalibrationError.tooFewSamples { return nil }
    }
}
