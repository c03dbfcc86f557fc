import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why the index database could not be opened, read or written.
public enum StoreError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The file exists but is not an SQLite database (or is damaged beyond reading).
    case notADatabase(String)
    /// The database was written by a newer semsearch.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Another process holds the index lock.
    case locked(path: String, holder: String)
    /// The database has no index yet.
    case empty(String)
    /// The database was built with a different model than requested (by fingerprint: the names may
    /// be the same).
    case modelMismatch(path: String, indexed: String, requested: String)
    /// The index's stored settings cannot be read: treating it as new would write fresh settings
    /// over vectors made with others, so it is refused and left as it is.
    case unreadableSettings(path: String, reason: String)
    /// Any other SQLite or file-system failure.
    case failure(path: String, reason: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a semsearch index (not an SQLite database, or damaged); move it away or pass another --db"
        case .newerSchema(let path, let found, let supported):
            return "\(path) was written by a newer semsearch (schema \(found), this one reads up to \(supported))"
        case .locked(let path, let holder):
            return "\(path) is being indexed by another semsearch (\(holder)); wait for it to finish"
        case .empty(let path):
            return "no index at \(path) yet: run 'semsearch index DIR' first"
        case .modelMismatch(let path, let indexed, let requested) where indexed == requested:
            // Same name, other weights: a model directory beside an imported copy of it, say.
            return "\(path) was indexed with another copy of model \(indexed) (other weights under the same name); "
                + "pass the --model it was indexed with, or re-index with this one into another --db"
        case .modelMismatch(let path, let indexed, let requested):
            return "\(path) was indexed with model \(indexed), not \(requested); re-index with --model \(requested) into another --db"
        case .unreadableSettings(let path, let reason):
            return "\(path) has index settings this semsearch cannot read (\(reason)); it was left unchanged: index into another --db"
        case .failure(let path, let reason):
            return "database \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
