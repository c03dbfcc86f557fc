import SemsearchCore
import SemsearchEncoder
import Foundation

/// What a crawl found.
public struct CrawlReport: Sendable {
    public var files: [CrawledFile] = []
    public var skipped: [CrawlSkip: Int] = [:]
    /// One line per problem a user may want to fix (permission denied, broken link, loop).
    public var warnings: [String] = []
}
