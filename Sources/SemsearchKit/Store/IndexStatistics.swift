import SemsearchCore
import SemsearchEncoder
import Foundation

/// Sizes of an index.
public struct IndexStatistics: Sendable, Equatable {
    public var roots: Int
    public var files: Int
    public var chunks: Int
    public var tokens: Int
    public var databaseBytes: Int
}
