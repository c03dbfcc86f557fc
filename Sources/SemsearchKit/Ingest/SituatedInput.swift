import Foundation

/// Builds the encoder input for a chunk under a `SituateMode` (DESIGN.md §3):
/// - `none`, `mix`: the chunk text alone (`mix` blends in the document mean at search time);
/// - `header`: the document title and heading breadcrumb, then the chunk, all pooled;
/// - `late`: the same context encoded, but only the chunk's own tokens pooled.
public struct SituatedInput: Sendable {
    public let tokenizer: BertTokenizer
    public let mode: SituateMode

    public init(tokenizer: BertTokenizer, mode: SituateMode) {
        self.tokenizer = tokenizer
        self.mode = mode
    }

    /// The context line for a chunk: `Title › Section › Subsection` (heading marks removed, a
    /// section repeating the title dropped).
    public static func header(title: String, heading: String) -> String {
        var parts = [title]
        for part in heading.components(separatedBy: " › ") {
            let name = String(part.drop { $0 == "#" }.drop { $0 == " " })
            if !name.isEmpty, name.lowercased() != parts.last?.lowercased() { parts.append(name) }
        }
        return parts.joined(separator: " › ")
    }

    /// Token ids (`[CLS] … [SEP]`) and, for `late`, the token range to pool.
    public func input(chunk: TextChunk, title: String) -> (ids: [Int32], poolRange: Range<Int>?) {
        switch mode {
        case .none, .mix:
            return (tokenizer.encode(chunk.text).ids, nil)
        case .header:
            return (tokenizer.encode(Self.header(title: title, heading: chunk.heading) + "\n" + chunk.text).ids, nil)
        case .late:
            let context = tokenizer.encode(Self.header(title: title, heading: chunk.heading), maxLength: tokenizer.maxLength / 4)
            let body = tokenizer.encode(chunk.text)
            var ids = Array(context.ids.dropLast())
            let start = ids.count
            ids += body.ids.dropFirst().dropLast().prefix(tokenizer.maxLength - 1 - ids.count)
            let end = ids.count
            ids.append(tokenizer.vocabulary.separatorID)
            return (ids, start < end ? start..<end : nil)
        }
    }
}
