import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why the crawler passed over something; counted and reported, never fatal.
public enum CrawlSkip: String, Sendable, CaseIterable {
    case ignored, hidden, tooLarge = "too large", unreadable, symlinkLoop = "symlink loop", special = "not a regular file"
    /// Lock files and minified or generated assets (``GeneratedFiles``), unless asked for.
    case generated = "lock or generated"
    /// An Office owner file (`~$report.docx`) written beside a document while it is open.
    case temporary = "editor temporary"
}
