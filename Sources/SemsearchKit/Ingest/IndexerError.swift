import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why an indexing run could not start.
public enum IndexerError: Error, LocalizedError, CustomStringConvertible {
    case settingsChanged(path: String, existing: IndexSettings, requested: IndexSettings)
    /// Every requested layer lies beyond the `--encode-layers` depth.
    case nothingToStore(requested: [Int], encoded: Int)

    public var description: String {
        switch self {
        case .settingsChanged(let path, let existing, let requested):
            var differences: [String] = []
            if existing.layers != requested.layers { differences.append("layers \(existing.layers) → \(requested.layers)") }
            if existing.chunkTokens != requested.chunkTokens { differences.append("--chunk-tokens \(existing.chunkTokens) → \(requested.chunkTokens)") }
            if existing.overlap != requested.overlap { differences.append("--overlap \(existing.overlap) → \(requested.overlap)") }
            if existing.situate != requested.situate { differences.append("--situate \(existing.situate.rawValue) → \(requested.situate.rawValue)") }
            if existing.encodedLayers != requested.encodedLayers {
                differences.append("--encode-layers \(existing.encodedLayers.map(String.init) ?? "all") → \(requested.encodedLayers.map(String.init) ?? "all")")
            }
            if existing.documentPrecision != requested.documentPrecision {
                differences.append("--precision \(existing.documentPrecision.rawValue) → \(requested.documentPrecision.rawValue)")
            }
            return "\(path) was built with other settings (\(differences.joined(separator: ", "))); use the same settings, or another --db"
        case .nothingToStore(let requested, let encoded):
            return "--layers \(requested.map(String.init).joined(separator: ",")) stores nothing when only the first \(encoded) layers are encoded (--encode-layers \(encoded)); pick layers up to \(encoded)"
        }
    }

    public var errorDescription: String? { description }
}
