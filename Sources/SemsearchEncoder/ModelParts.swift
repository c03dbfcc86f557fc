import SemsearchCore
import Foundation

/// What a family's `describe` reads from a model directory.
struct ModelParts {
    var architecture: ModelArchitecture
    var layerCount: Int
    var hiddenSize: Int
    var maxLength: Int
    var tokenizer: any TextTokenizer
    var defaultLanguages: String
    /// Bytes that identify the family-specific inputs (config, vocabulary, tokenizer settings).
    var fingerprintSeed: Data
}
