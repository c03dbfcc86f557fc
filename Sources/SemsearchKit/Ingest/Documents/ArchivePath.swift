import Foundation

/// Paths inside an archive, as OOXML relationships and EPUB manifests write them.
enum ArchivePath {
    /// `target` (relative to `folder`, or from the root when it starts with `/`; percent-escapes
    /// decoded) as a path from the archive's root, `..` and `.` folded.
    static func resolve(_ target: String, from folder: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        let joined = decoded.hasPrefix("/") ? String(decoded.dropFirst()) : (folder.isEmpty ? decoded : folder + "/" + decoded)
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
