import Foundation
import SemsearchCore
import SemsearchEncoder

/// The title `header` and `late` situating put above a document's chunks, and whether the
/// document's own words bear it out.
///
/// A title is only context when it speaks the text's language: an English file name over a
/// Portuguese article, or `notes_v2` over a page about something else, pulls every chunk toward
/// words no question about the text will use (measured on `squad-pt`: MRR@10 0.56 → 0.48 with the
/// English titles). So a title taken from a file name is used only when more than half of its
/// words occur in the document's text outside the title line itself, as whole words (or their
/// plural: `engine`, `engines`); and when the text is not English (English function words are
/// under 5% of its words: 0.4–1.4% in the `squad-pt` articles, 16% or more in 95% of msmarco
/// passages), one of those words must also occur in it as an ordinary lower-case word, because
/// an English name over such a text is found in it only inside names (`University of Southern
/// California`) or quotations. A proper-noun title of a non-English text is then left out, which
/// is what `none` does. A title given with the data (a BEIR corpus's) is trusted.
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

    /// Whether `title` is borne out by `text` (see the type's documentation); lines that repeat
    /// the title are left out. Reads at most the first 512 KB.
    static func occursInText(_ title: String, text: String) -> Bool {
        let wanted = QueryTerms.words(in: title).filter { $0.contains(where: \.isLetter) }
        guard !wanted.isEmpty else { return false }
        let key = normalized(title)
        var words = Set<String>(), lowercaseWords = Set<String>()
        var wordCount = 0, functionWords = 0
        for line in text.utf8.prefix(512 << 10).split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: line, as: UTF8.self)
            if normalized(line) == key { continue }
            for range in QueryTerms.wordRanges(in: line) {
                let word = line[range].lowercased()
                wordCount += 1
                if englishFunctionWords.contains(word) { functionWords += 1 }
                words.insert(word)
                if line[range.lowerBound].isLowercase { lowercaseWords.insert(word) }
            }
        }
        let found = wanted.filter { word in words.contains(word) || words.contains { sameWord($0, word) } }
        guard found.count * 2 > wanted.count else { return false }
        let english = wordCount < 30 || Double(functionWords) >= 0.05 * Double(wordCount)
        return english || found.contains { word in lowercaseWords.contains(word) || lowercaseWords.contains { sameWord($0, word) } }
    }

    /// The same word, or one the other's plural (`engine`/`engines`, `box`/`boxes`): whole words,
    /// so `Normans` does not match `Normandia` nor `California` `Califórnia`.
    static func sameWord(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard short.count >= 3, long.hasPrefix(short) else { return false }
        let suffix = long.dropFirst(short.count)
        return suffix == "s" || suffix == "es"
    }

    /// English words that make up a fifth or more of English prose and almost none of other
    /// languages' (`a`, `de`, `en` left out: other languages use them too).
    static let englishFunctionWords: Set<String> = [
        "the", "and", "of", "to", "is", "was", "that", "with", "for", "are", "this", "which", "from", "were", "by",
        "have", "it", "in", "as", "on", "be", "or", "an", "not", "has", "its", "their", "at",
    ]

    /// A title or heading compared with another: markup (`#`, `*`, `=`), `_` and `-` read as
    /// spaces, case and extra spaces ignored.
    public static func normalized(_ text: String) -> String {
        String(text.lowercased().map { "#*=_-".contains($0) ? " " : $0 }).split(separator: " ").joined(separator: " ")
    }
}
