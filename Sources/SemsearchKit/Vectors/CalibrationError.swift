import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why a calibration could not be fitted.
public enum CalibrationError: Error, Equatable, LocalizedError, CustomStringConvertible {
    case tooFewSamples(Int)
    case notPositiveDefinite
    case targetLayerMissing(Int)

    public var description: String {
        switch self {
        case .tooFewSamples(let n): return "calibration needs at least 16 chunks, the index has \(n)"
        case .notPositiveDefinite: return "calibration failed: the layer's vectors are degenerate (the normal equations are singular)"
        case .targetLayerMissing(let layer): return "calibration maps every layer to the final one, but layer \(layer) is not stored in this index"
        }
    }

    public var errorDescription: String? { description }
}
