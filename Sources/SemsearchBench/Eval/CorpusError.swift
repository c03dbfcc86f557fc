import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why a corpus or dataset could not be read.
public enum CorpusError: Error, LocalizedError, CustomStringConvertible {
    case notFound(String)
    case unreadable(path: String, reason: String)
    case malformedLine(path: String, line: Int, reason: String)
    case empty(String)

    public var description: String {
        switch self {
        case .notFound(let path): return "corpus not found: \(path)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .malformedLine(let path, let line, let reason): return "\(path):\(line): \(reason)"
        case .empty(let path): return "corpus \(path) holds no texts"
        }
    }

    public var errorDescription: String? { description }
}
