import SemsearchCore
import SemsearchEncoder
import Foundation

/// Builds the encoder input for a chunk under a `SituateMode`:
/// - `none`, `mix`: the chunk text alone (`mix` blends in the document mean at search time);
/// - `header`: the document title and heading breadcrumb, then the chunk, all pooled;
/// - `late`: the same context encoded, but only the chunk's own tokens pooled.
///
/// A model with a document prompt gets it in every mode; a prompt with a title slot
/// (EmbeddingGemma's `title: none | text: `) carries the header there instead of a line above the
/// chunk, and `none` keeps `title: none`.
public struct SituatedInput: Sendable {
    public let tokenizer: any TextTokenizer
    public let prompts: ModelPrompts
    public let mode: SituateMode

    public init(tokenizer: any TextTokenizer, prompts: ModelPrompts = ModelPrompts(), mode: SituateMode) {
        self.tokenizer = tokenizer
        self.prompts = prompts
        self.mode = mode
    }

    /// The context line for a chunk: `Title › Section › Subsection` (heading marks removed, a
    /// section repeating the title or the section before it dropped, and the title left out when
    /// the text does not bear it out — see `DocumentTitle`).
    public static func header(title: DocumentTitle, heading: String) -> String {
        var parts = title.fitsText && !title.text.isEmpty ? [title.text] : []
        var last = DocumentTitle.normalized(title.text)
        for part in heading.components(separatedBy: " › ") {
            let name = String(part.drop { $0 == "#" }.drop { $0 == " " })
            let key = DocumentTitle.normalized(name)
            if !key.isEmpty, key != last { parts.append(name) }
            if !key.isEmpty { last = key }
        }
        return parts.joined(separator: " › ")
    }

    /// The text before the chunk: the document prompt and, for `header` and `late`, the context.
    public func prefix(chunk: TextChunk, title: DocumentTitle) -> String {
        let context = mode == .header || mode == .late ? Self.header(title: title, heading: chunk.heading) : ""
        if prompts.hasTitleSlot { return prompts.documentPrefix(title: context) }
        let prompt = prompts.document ?? ""
        return context.isEmpty ? prompt : prompt + context + "\n"
    }

    /// Token ids and, for `late`, the token range to pool (the chunk's own tokens).
    public func input(chunk: TextChunk, title: DocumentTitle) -> (ids: [Int32], poolRange: Range<Int>?) {
        let prefix = prefix(chunk: chunk, title: title)
        let encoded = tokenizer.encode(prefix + chunk.text)
        guard mode == .late else { return (encoded.ids, nil) }
        let chunkStart = prefix.utf8.count
        let ranges = encoded.byteRanges
        // A BPE token may carry the space before the chunk's first word ("▁the"): it belongs to the chunk.
        guard let start = ranges.indices.first(where: { !ranges[$0].isEmpty && ranges[$0].upperBound > chunkStart }),
              let last = ranges.indices.last(where: { !ranges[$0].isEmpty }), start <= last else { return (encoded.ids, nil) }
        return (encoded.ids, start..<(last + 1))
    }
}
