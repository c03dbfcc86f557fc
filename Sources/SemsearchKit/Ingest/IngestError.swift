import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why a path could not be indexed. Roots that do not exist stop a run; problems with single
/// files are counted and reported, and the run goes on.
public enum IngestError: Error, Equatable, LocalizedError, CustomStringConvertible {
    case rootNotFound(String)
    case binary(String)
    case notText(String)
    case unreadable(path: String, reason: String)
    case tooLarge(path: String, size: Int, limit: Int)
    case extractorMissing(path: String, tool: String)
    case extractionFailed(path: String, reason: String)
    /// A document refused on purpose (a zip bomb, thousands of entries, an entry named with `..`,
    /// encryption, XML that declares entities): skipped and counted apart from damaged files.
    case refusedDocument(path: String, reason: String)

    public var description: String {
        switch self {
        case .rootNotFound(let path): return "no such file or folder: \(path)"
        case .binary(let path): return "\(path): binary file, skipped"
        case .notText(let path): return "\(path): not UTF-8 text, skipped"
        case .unreadable(let path, let reason): return "\(path): cannot read (\(reason))"
        case .tooLarge(let path, let size, let limit): return "\(path): \(size / 1_048_576) MB is over the \(limit / 1_048_576) MB limit (--max-file-size)"
        case .extractorMissing(let path, let tool): return "\(path): needs \(tool) to extract text (install poppler-utils), skipped"
        case .extractionFailed(let path, let reason): return "\(path): text extraction failed (\(reason))"
        case .refusedDocument(let path, let reason): return "\(path): \(reason), skipped"
        }
    }

    public var errorDescription: String? { description }
}
