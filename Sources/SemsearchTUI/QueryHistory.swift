import Foundation

/// Queries searched before, newest last, recalled with Up and Down like a shell's history. The
/// line being typed is kept aside while browsing, so Down past the newest entry gives it back.
public struct QueryHistory: Equatable, Sendable {
    public private(set) var entries: [String]
    /// Index into `entries` while browsing; nil when editing the current line.
    public private(set) var position: Int?
    private var draft = ""
    /// Most entries kept.
    public static let capacity = 200

    public init(_ entries: [String] = []) {
        self.entries = Array(entries.suffix(Self.capacity))
    }

    /// Records a query (not blank; an earlier copy moves to the end, so each query is kept once) and
    /// stops browsing.
    public mutating func record(_ query: String) {
        position = nil
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, entries.last != trimmed else { return }
        entries.removeAll { $0 == trimmed }
        entries.append(trimmed)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// The older entry to show, given the line currently typed; nil when there is none.
    public mutating func older(than current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let next: Int
        if let position { guard position > 0 else { return nil }; next = position - 1 } else {
            draft = current
            next = entries.count - 1
        }
        position = next
        return entries[next]
    }

    /// The newer entry, or the draft once past the newest; nil when not browsing.
    public mutating func newer() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Stops browsing (the user edited the recalled line).
    public mutating func stopBrowsing() { position = nil }
}
