import SemsearchCore
import SemsearchEncoder
import Foundation

/// When a database gets an IVF index.
public enum IVFSetting: Sendable, Equatable, CustomStringConvertible {
    /// An index of about 4·√N lists once a collection passes `IVFIndex.autoThreshold` chunks.
    case auto
    /// Exact search only (an existing IVF index is dropped).
    case off
    /// Exactly this many lists, whatever the size.
    case lists(Int)

    /// Parses `auto`, `off` or a list count.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "off": self = .off
        default:
            guard let n = Int(text), n >= 1 else { return nil }
            self = .lists(n)
        }
    }

    /// `auto`, `off` or the list count: what ``init(_:)`` reads back.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .off: return "off"
        case .lists(let n): return String(n)
        }
    }
}
