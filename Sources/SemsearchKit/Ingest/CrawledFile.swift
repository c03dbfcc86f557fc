import SemsearchCore
import SemsearchEncoder
import Foundation

/// A regular file found under a root.
public struct CrawledFile: Sendable, Equatable {
    /// Absolute path (through the links that led to it).
    public var path: String
    public var size: Int
    /// Seconds since 1970, with sub-second precision.
    public var modificationTime: Double
}
