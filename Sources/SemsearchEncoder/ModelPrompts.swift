import SemsearchCore
import Foundation

/// The texts a model expects before queries and documents, from `config_sentence_transformers.json`
/// (EmbeddingGemma: `task: search result | query: ` and `title: none | text: `). A document prompt
/// whose title slot reads `title: none` takes the document's title there when it has one.
public struct ModelPrompts: Sendable, Equatable {
    public var query: String?
    public var document: String?

    public init(query: String? = nil, document: String? = nil) {
        self.query = query
        self.document = document
    }

    /// Which prompt `embed` puts before a text.
    public enum Kind: String, Sendable, CaseIterable {
        case query, document, none
    }

    /// Whether the document prompt has a title slot (`title: none | text: `).
    public var hasTitleSlot: Bool { document?.hasPrefix("title: none | ") == true }

    /// `text` with the prompt of `kind` before it (unchanged when the model has no such prompt).
    public func apply(_ kind: Kind, to text: String) -> String {
        switch kind {
        case .query: return (query ?? "") + text
        case .document: return (document ?? "") + text
        case .none: return text
        }
    }

    /// The document prompt with `title` in its title slot (`title: Rhine | text: `), or the plain
    /// document prompt when it has no slot or the title is empty.
    public func documentPrefix(title: String) -> String {
        guard let document else { return "" }
        let title = title.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        guard hasTitleSlot, !title.isEmpty else { return document }
        return "title: \(title) | " + document.dropFirst("title: none | ".count)
    }

    static func load(_ files: ModelFiles) throws -> ModelPrompts {
        guard let prompts = try files.decode(SentenceTransformersFiles.PromptsConfig.self, "config_sentence_transformers.json")?.prompts
        else { return ModelPrompts() }
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        return ModelPrompts(query: nonEmpty(prompts["query"] ?? prompts["Retrieval-query"]),
                            document: nonEmpty(prompts["document"] ?? prompts["Retrieval-document"]))
    }
}
