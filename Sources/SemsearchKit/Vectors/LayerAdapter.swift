import SemsearchCore
import SemsearchEncoder

/// A calibration of one early layer: the linear map from its normalized pooled vector to the
/// model's final embedding, fitted on the index's own chunks (docs/ARCHITECTURE.md §2).
public struct LayerAdapter: Sendable, Equatable {
    public var layer: Int
    /// The layer it maps to: the model's last.
    public var targetLayer: Int
    public var map: LinearMap
    /// Mean squared distance between mapped and true final embeddings over the fitting chunks
    /// (unit vectors, so 0 is perfect and 2 is unrelated).
    public var residual: Double
    /// Chunks in the index when it was fitted (refitting compares against it).
    public var fittedOn: Int

    public init(layer: Int, targetLayer: Int, map: LinearMap, residual: Double, fittedOn: Int) {
        self.layer = layer
        self.targetLayer = targetLayer
        self.map = map
        self.residual = residual
        self.fittedOn = fittedOn
    }

    /// `v(layer, dim)` through the adapter: the full-width normalized vector mapped, cut to `dim`
    /// and normalized again — the 2D Matryoshka definition applied to the calibrated embedding.
    public func vector(_ normalizedFullWidth: [Float], dim: Int) -> [Float] {
        var out = Array(map.apply(normalizedFullWidth).prefix(dim))
        VectorMath.normalize(&out)
        return out
    }

    /// Many full-width normalized rows mapped, cut to `dim` and normalized.
    public func vectors(_ rows: [Float], count: Int, dim: Int) -> [Float] {
        let mapped = map.apply(rows: rows, count: count)
        var out = [Float](repeating: 0, count: count * dim)
        out.withUnsafeMutableBufferPointer { target in
            mapped.withUnsafeBufferPointer { source in
                for r in 0..<count {
                    let row = UnsafeMutableBufferPointer(rebasing: target[(r * dim)..<((r + 1) * dim)])
                    _ = row.update(fromContentsOf: source[(r * map.outputDim)..<(r * map.outputDim + dim)])
                    VectorMath.normalize(row)
                }
            }
        }
        return out
    }
}
