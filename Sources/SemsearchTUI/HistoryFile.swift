import Foundation

/// The query history kept between sessions: one query a line in
/// `$XDG_STATE_HOME/semsearch/history` (default `~/.local/state/semsearch/history`).
public struct HistoryFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The default location.
    public static var standard: HistoryFile {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        return HistoryFile(path: (state as NSString).appendingPathComponent("semsearch/history"))
    }

    /// The saved queries, oldest first; none when the file is missing or unreadable.
    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Saves `entries` (newest last); a failure to save is not worth stopping for.
    public func save(_ entries: [String]) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = entries.filter { !$0.contains("\n") }.joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
