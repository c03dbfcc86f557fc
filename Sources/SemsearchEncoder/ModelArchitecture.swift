import SemsearchCore
import Foundation

/// The network a model directory holds: its family and that family's configuration.
///
/// Adding a family means a folder beside `BERT/` and `Gemma3/` with its configuration, checkpoint,
/// forward pass and a `describe` function, plus one case here, its `model_type` in
/// `ModelDescriptor.init` and `supportedTypes`, and the switches in `EmbeddingModel.init` and
/// `ModelStore.importModel`.
public enum ModelArchitecture: Sendable {
    case bert(BertConfiguration, Pooling)
    case gemma3(Gemma3Configuration)

    /// The family's name as users read it.
    public var familyName: String {
        switch self {
        case .bert: return "BERT"
        case .gemma3: return "Gemma 3"
        }
    }

    /// The `model_type` values of `config.json` that semsearch runs, for error messages.
    static let supportedTypes = "bert (BERT, MiniLM, bge, e5, gte) or gemma3_text (EmbeddingGemma)"
}
