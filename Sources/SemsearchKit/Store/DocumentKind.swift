import SemsearchCore
import SemsearchEncoder

/// The structure a text file has, which decides where chunks may be cut and what counts as a heading.
public enum DocumentKind: String, Sendable, CaseIterable {
    /// Markdown: ATX (`# Title`) and setext (`Title` over `===`) headings, paragraphs.
    case markdown
    /// Org mode: `* Heading` lines, paragraphs.
    case org
    /// reStructuredText: a title line over an `===`/`---`/`~~~` underline, paragraphs.
    case restructuredText
    /// Prose without markup: paragraphs and sentences.
    case plain
    /// Source code and data files: blocks separated by blank lines, then lines.
    case code

    /// The kind for a file name, by extension.
    public static func of(fileName: String) -> DocumentKind {
        let lower = fileName.lowercased()
        let ext = lower.split(separator: ".").count > 1 ? String(lower.split(separator: ".").last!) : ""
        switch ext {
        case "md", "markdown", "mdown", "mkd", "mdx": return .markdown
        case "org": return .org
        case "rst", "rest": return .restructuredText
        case "txt", "text", "", "html", "htm", "xhtml", "pdf", "tex": return .plain
        default: return .code
        }
    }
}
