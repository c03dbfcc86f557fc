import SemsearchCore
import SemsearchEncoder
import Foundation

/// `--path` globs: which indexed files a search may return.
///
/// A pattern without `/` matches any single path component, so `*.md` keeps Markdown files and
/// `notes` keeps everything inside any folder named `notes`. A pattern with `/` matches a run of
/// components starting at any folder boundary (`notes/*.md`, `src/**/test_*`), or from the root
/// when it starts with `/`; `./` and `../` patterns are taken from the current directory. A match
/// on a folder takes in everything below it. Globs: `*`, `?`, `[…]`, and `**` for any folders.
public struct PathFilter: Sendable {
    private struct Pattern: Sendable {
        var components: [[UInt8]]
        var anchored: Bool
    }

    private let patterns: [Pattern]

    public init(_ globs: [String], currentDirectory: String = FileManager.default.currentDirectoryPath) {
        patterns = globs.compactMap { glob in
            var text = glob
            if text.hasPrefix("./") || text.hasPrefix("../") || text == "." || text == ".." {
                text = URL(fileURLWithPath: text, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).standardizedFileURL.path
            }
            let anchored = text.hasPrefix("/")
            let components = text.split(separator: "/").map { Array($0.utf8) }
            return components.isEmpty ? nil : Pattern(components: components, anchored: anchored)
        }
    }

    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether `path` (absolute) passes: true when there are no patterns.
    public func matches(_ path: String) -> Bool {
        guard !patterns.isEmpty else { return true }
        let components = path.split(separator: "/").map { Array($0.utf8) }
        return patterns.contains { pattern in
            let starts = pattern.anchored ? 0..<1 : 0..<components.count
            return starts.contains { Self.matchPrefix(pattern.components[...], components[$0...]) }
        }
    }

    /// Whether the pattern matches the first components of `path` (any number of them, at least one).
    private static func matchPrefix(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
        guard let head = pattern.first else { return true }
        if head == Array("**".utf8) {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return !path.isEmpty }
            return path.indices.contains { matchPrefix(rest, path[$0...]) }
        }
        guard let component = path.first, IgnoreRules.glob(head[...], component[...]) else { return false }
        return matchPrefix(pattern.dropFirst(), path.dropFirst())
    }
}
