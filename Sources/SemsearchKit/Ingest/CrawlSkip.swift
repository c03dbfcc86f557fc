import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why the crawler passed over something; counted and reported, never fatal.
public enum CrawlSkip: String, Sendable, CaseIterable {
    case ignored, hidden, tooLarge = "too large", unreadable, symlinkLoop = "symlink loop", special = "not a regular file"
}
