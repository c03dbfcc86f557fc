/// How an index stores its vectors (docs/ARCHITECTURE.md §5). Searches always compare a float
/// query against the stored vectors decoded to floats, so the format changes bytes and precision,
/// never the search code.
public enum VectorFormat: String, CaseIterable, Sendable, Codable {
    /// Half-precision floats: 2 bytes a dimension.
    case fp16
    /// One byte a dimension: each dimension's range, fitted on the index's own vectors, cut into 256 steps.
    case int8
    /// Half a byte a dimension: 16 steps over each dimension's range (its extreme 0.5% clipped).
    case int4
    /// int8 for the deepest stored layer (the default search and the IVF layer), 5 bits a
    /// dimension below it.
    case compact

    /// The format of a new index, chosen by measurement (README, Storage): `compact` keeps
    /// nDCG@10 within 0.01 of fp16 in every cell at under a third of the bytes.
    public static let defaultFormat = VectorFormat.compact

    /// Bits a dimension at `layer` (nil: fp16), where `deepest` is the deepest stored layer.
    public func bits(layer: Int, deepest: Int) -> Int? {
        switch self {
        case .fp16: return nil
        case .int8: return 8
        case .int4: return 4
        case .compact: return layer == deepest ? 8 : 5
        }
    }
}
