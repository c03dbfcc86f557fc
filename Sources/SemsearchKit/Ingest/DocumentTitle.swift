import Foundation
import SemsearchCore
import SemsearchEncoder

/// The title `header` and `late` situating put above a document's chunks, and whether the
/// document's own words bear it out.
///
/// A title is only context when it speaks the text's language: an English file name over a
/// Portuguese article, or `notes_v2` over a page about something else, pulls every chunk toward
/// words no question about the text will use (measured on `squad-pt`: MRR@10 0.56 → 0.48 with the
/// English titles). So a title taken from a file name is used only when most of its words occur
/// in the document's text outside the title line itself; a title given with the data (a BEIR
/// corpus's) is trusted.
public struct DocumentTitle: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The title as it reads, with a file name's `_` and `-` turned into spaces.
    public var text: String
    /// Whether situating uses the title; a heading that repeats it is dropped either way.
    public var fitsText: Bool

    public init(_ text: String, fitsText: Bool = true) {
        self.text = text
        self.fitsText = fitsText
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The title of the file at `path` whose extracted text is `text`: its name without the
    /// extension, words separated, used only when the text bears it out.
    public static func derived(path: String, text: String) -> DocumentTitle {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let readable = name.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
        return DocumentTitle(readable, fitsText: occursInText(readable, text: text))
    }

    /// Whether more than half of the title's words (stop words left out) occur in `text`, lines
    /// that repeat the title left out. Words match as search terms do: equal, or one a prefix of
    /// the other from five letters on (`engine` and `engines`). Reads at most the first 512 KB.
    static func occursInText(_ title: String, text: String) -> Bool {
        let wanted = QueryTerms.words(in: title).filter { $0.contains(where: \.isLetter) }
        guard !wanted.isEmpty else { return false }
        let key = normalized(title)
        var words = Set<String>()
        for line in text.utf8.prefix(512 << 10).split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: line, as: UTF8.self)
            if normalized(line) == key { continue }
            words.formUnion(QueryTerms.words(in: line))
        }
        let found = wanted.filter { word in words.contains(word) || words.contains { QueryTerms.same($0, word) } }
        return found.count * 2 > wanted.count
    }

    /// A title or heading compared with another: markup (`#`, `*`, `=`), `_` and `-` read as
    /// spaces, case and extra spaces ignored.
    public static func normalized(_ text: String) -> String {
        String(text.lowercased().map { "#*=_-".contains($0) ? " " : $0 }).split(separator: " ").joined(separator: " ")
    }
}
