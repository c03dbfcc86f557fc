import SemsearchCore
import Foundation

/// Why a model directory could not be loaded, imported or used.
///
/// Every case reads as one line a user can act on: what is wrong, with which file, and what to do.
public enum ModelError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The model directory (or a named model) does not exist.
    case notFound(String)
    /// A required file is missing from the model directory.
    case missingFile(directory: String, file: String)
    /// A file could not be read (permissions, I/O).
    case unreadable(path: String, reason: String)
    /// A configuration (`config.json`, a module's or the tokenizer's) describes a model this encoder
    /// cannot run.
    case unsupportedConfig(path: String, reason: String)
    /// A JSON file of the model is not valid JSON of the expected shape.
    case invalidJSON(path: String, reason: String)
    /// The safetensors file is truncated, corrupt, or does not match the config.
    case corruptWeights(path: String, reason: String)
    /// The vocabulary is missing tokens the tokenizer needs, or is empty.
    case invalidVocabulary(path: String, reason: String)
    /// A (layer, dim) outside what the model has.
    case invalidSelection(String)
    /// An import target already exists.
    case alreadyExists(String)

    public var description: String {
        switch self {
        case .notFound(let what):
            return "model not found: \(what) (give a directory with config.json, a tokenizer (vocab.txt or tokenizer.json) and *.safetensors, or a name from 'semsearch model list')"
        case .missingFile(let directory, let file):
            return "model directory \(directory) has no \(file)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unsupportedConfig(let path, let reason):
            return "unsupported model config \(path): \(reason)"
        case .invalidJSON(let path, let reason):
            return "invalid JSON in \(path): \(reason)"
        case .corruptWeights(let path, let reason):
            return "corrupt model weights \(path): \(reason)"
        case .invalidVocabulary(let path, let reason):
            return "invalid vocabulary \(path): \(reason)"
        case .invalidSelection(let reason):
            return reason
        case .alreadyExists(let path):
            return "a model already exists at \(path) (remove it first or choose another --name)"
        }
    }

    public var errorDescription: String? { description }
}
