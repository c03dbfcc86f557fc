import SemsearchCore
import SemsearchEncoder

/// `.gitignore`-style rules of one folder (its `.gitignore`, then its `.semsearchignore`, so the
/// latter's rules win), matched against paths relative to that folder.
///
/// Supports comments, blank lines, `!` negation, a trailing `/` for folders only, anchoring by a
/// leading or inner `/`, and the globs `*`, `?`, `[…]` and `**`. Later rules win, as in git.
public struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    private var rules: [Rule] = []

    public init(_ text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line = line.dropFirst() }
            if line.hasPrefix("\\") { line = line.dropFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") { directoryOnly = true; line = line.dropLast() }
            var anchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { anchored = true; line = line.dropFirst() }
            if line.hasPrefix("**/") { anchored = false; line = line.dropFirst(3) }
            guard !line.isEmpty else { continue }
            rules.append(Rule(pattern: Array(line.utf8), negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// nil when no rule speaks about `relativePath`; otherwise whether it is ignored.
    public func verdict(relativePath: String, isDirectory: Bool) -> Bool? {
        let path = Array(relativePath.utf8)
        let name = Array((relativePath.split(separator: "/").last.map(String.init) ?? relativePath).utf8)
        var result: Bool?
        for rule in rules where !(rule.directoryOnly && !isDirectory) {
            let subject = rule.anchored ? path : name
            if Self.glob(rule.pattern[...], subject[...]) { result = !rule.negated }
        }
        return result
    }

    /// Glob match where `*` and `?` stop at `/` and `**` crosses folders.
    static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var p = pattern.startIndex, t = text.startIndex
        while p < pattern.endIndex {
            let c = pattern[p]
            if c == UInt8(ascii: "*") {
                let isDouble = p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*")
                var rest = pattern[(p + (isDouble ? 2 : 1))...]
                if isDouble, rest.first == slash {
                    // "**/" matches zero or more whole folders.
                    rest = rest.dropFirst()
                    if glob(rest, text[t...]) { return true }
                    var i = t
                    while i < text.endIndex {
                        if text[i] == slash, glob(rest, text[(i + 1)...]) { return true }
                        i += 1
                    }
                    return false
                }
                var i = t
                while true {
                    if glob(rest, text[i...]) { return true }
                    if i == text.endIndex || (!isDouble && text[i] == slash) { return false }
                    i += 1
                }
            }
            guard t < text.endIndex else { return false }
            if c == UInt8(ascii: "?") {
                if text[t] == slash { return false }
            } else if c == UInt8(ascii: "[") , let close = pattern[(p + 1)...].dropFirst().firstIndex(of: UInt8(ascii: "]")) {
                var set = pattern[(p + 1)..<close]
                let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negate { set = set.dropFirst() }
                var matched = false
                var i = set.startIndex
                while i < set.endIndex {
                    if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
                        if (set[i]...set[i + 2]).contains(text[t]) { matched = true }
                        i += 3
                    } else {
                        if set[i] == text[t] { matched = true }
                        i += 1
                    }
                }
                if matched == negate || text[t] == slash { return false }
                p = close
            } else {
                var literal = c
                if c == UInt8(ascii: "\\"), p + 1 < pattern.endIndex { p += 1; literal = pattern[p] }
                if literal != text[t] { return false }
            }
            p += 1
            t += 1
        }
        return t == text.endIndex
    }
}
