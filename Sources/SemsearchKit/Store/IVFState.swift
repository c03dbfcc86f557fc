import SemsearchCore
import SemsearchEncoder

/// What the IVF index of a database was trained on; kept in `meta` under `ivf`.
public struct IVFState: Sendable, Equatable, Codable {
    public var layer: Int
    public var dim: Int
    public var nlist: Int
    /// Vectors in the index when the centroids were trained (retraining compares against it).
    public var trainedOn: Int

    public init(layer: Int, dim: Int, nlist: Int, trainedOn: Int) {
        self.layer = layer
        self.dim = dim
        self.nlist = nlist
        self.trainedOn = trainedOn
    }
}
