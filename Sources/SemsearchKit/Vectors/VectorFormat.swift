/// How an index stores its vectors (docs/ARCHITECTURE.md §5). Searches compare a float query with
/// the stored vectors as decoded (IVF lists in 8-bit codes are scored on their codes with the
/// ranges folded into the query, the same sum); the query is never quantized.
public enum VectorFormat: String, CaseIterable, Sendable, Codable {
    /// Half-precision floats: 2 bytes a dimension.
    case fp16
    /// One byte a dimension: each dimension's range, fitted on the index's own vectors, cut into 256 steps.
    case int8
    /// Half a byte a dimension: 16 steps over each dimension's range (its extreme 0.5% clipped).
    case int4
    /// int8 for the deepest stored layer (the default search and the IVF layer); below it, each
    /// layer is predicted from the next deeper one (``LayerPrediction``) and what is left takes 8
    /// bits for the leading ``compactLeadingDims`` dimensions and 5 bits for the rest.
    case compact

    /// Leading dimensions a `compact` index keeps at 8 bits in every layer. The smallest
    /// Matryoshka cells score with these alone, so their rounding error is not averaged out over
    /// hundreds of dimensions the way a full-width score's is.
    public static let compactLeadingDims = 64

    /// The format of a new index, chosen by measurement (README, Storage): `compact` keeps
    /// nDCG@10 within 0.01 of fp16 in every cell at 37% of the bytes (msmarco-5k; int8 needs 50%).
    public static let defaultFormat = VectorFormat.compact

    /// Whether layers below the deepest are quantized as what the next deeper layer does not predict.
    public var predictsFromDeeperLayer: Bool { self == .compact }

    /// Bits of each dimension's code at `layer` (nil: fp16), for a layer `width` wide, where
    /// `deepest` is the deepest stored layer.
    public func widths(layer: Int, deepest: Int, width: Int) -> [UInt8]? {
        switch self {
        case .fp16: return nil
        case .int8: return [UInt8](repeating: 8, count: width)
        case .int4: return [UInt8](repeating: 4, count: width)
        case .compact:
            if layer == deepest { return [UInt8](repeating: 8, count: width) }
            let leading = min(width, Self.compactLeadingDims)
            return [UInt8](repeating: 8, count: leading) + [UInt8](repeating: 5, count: width - leading)
        }
    }
}
