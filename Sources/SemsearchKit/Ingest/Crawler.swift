import SemsearchCore
import SemsearchEncoder
import Foundation

/// Walks folders for files to index: skips hidden entries (so `.git`, `.hg`, `.svn` too), honours
/// `.gitignore` and `.semsearchignore` at every level (the latter wins), skips files over the size
/// cap, skips lock files and minified assets (``GeneratedFiles``, unless `includeGenerated`) and
/// Office owner files (`~$name.docx`), follows symbolic links but never into a folder it has
/// already visited (so link loops end), and reports unreadable entries instead of failing.
public struct Crawler: Sendable {
    public var maxFileSize: Int
    /// Paths never to return (the index database itself, when it lies inside a root).
    public var excludedPaths: Set<String>
    /// Index lock files and minified assets too.
    public var includeGenerated: Bool

    public init(maxFileSize: Int = 10 << 20, excludedPaths: Set<String> = [], includeGenerated: Bool = false) {
        self.maxFileSize = maxFileSize
        self.excludedPaths = excludedPaths
        self.includeGenerated = includeGenerated
    }

    /// Crawls `root` (a folder or a single file). Throws only when `root` itself cannot be used.
    public func crawl(root: String) throws -> CrawlReport {
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let info = FileInfo(path: rootPath, followLinks: true) else {
            throw IngestError.rootNotFound(root)
        }
        var report = CrawlReport()
        if !info.isDirectory {
            guard info.isRegular else { throw IngestError.rootNotFound(root) }
            consider(rootPath, info, &report)
            return report
        }
        var visited: Set<FileIdentity> = [info.identity]
        var seenFiles: Set<FileIdentity> = []
        // Depth-first; each entry carries the ignore rules in force, deepest last.
        var stack: [(path: String, rules: [(base: String, rules: IgnoreRules)])] = [(rootPath, [])]
        while let (dir, inherited) = stack.popLast() {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
                report.skipped[.unreadable, default: 0] += 1
                report.warnings.append("cannot read folder \(dir): permission denied or gone")
                continue
            }
            var rules = inherited
            let local = Self.ignoreRules(in: dir)
            if !local.isEmpty { rules.append((dir, local)) }
            for name in names.sorted() {
                let path = dir == "/" ? "/" + name : dir + "/" + name
                if name.hasPrefix(".") { report.skipped[.hidden, default: 0] += 1; continue }
                if excludedPaths.contains(path) { continue }
                guard let link = FileInfo(path: path, followLinks: false) else {
                    report.skipped[.unreadable, default: 0] += 1
                    continue
                }
                guard let target = link.isSymlink ? FileInfo(path: path, followLinks: true) : link else {
                    report.skipped[.unreadable, default: 0] += 1
                    report.warnings.append("broken symbolic link \(path)")
                    continue
                }
                if Self.isIgnored(path, isDirectory: target.isDirectory, rules: rules) {
                    report.skipped[.ignored, default: 0] += 1
                    continue
                }
                if target.isDirectory {
                    guard visited.insert(target.identity).inserted else {
                        report.skipped[.symlinkLoop, default: 0] += 1
                        report.warnings.append("not following \(path): it leads to a folder already crawled (symlink loop)")
                        continue
                    }
                    stack.append((path, rules))
                } else if target.isRegular {
                    if GeneratedFiles.isOfficeOwnerFile(name) { report.skipped[.temporary, default: 0] += 1; continue }
                    if !includeGenerated, GeneratedFiles.isGenerated(fileName: name) {
                        report.skipped[.generated, default: 0] += 1
                        continue
                    }
                    guard seenFiles.insert(target.identity).inserted else { continue }
                    consider(path, target, &report)
                } else {
                    report.skipped[.special, default: 0] += 1
                }
            }
        }
        report.files.sort { $0.path < $1.path }
        return report
    }

    private func consider(_ path: String, _ info: FileInfo, _ report: inout CrawlReport) {
        if info.size > maxFileSize {
            report.skipped[.tooLarge, default: 0] += 1
            return
        }
        report.files.append(CrawledFile(path: path, size: info.size, modificationTime: info.modificationTime))
    }

    static func ignoreRules(in dir: String) -> IgnoreRules {
        var text = ""
        for name in [".gitignore", ".semsearchignore"] {
            if let data = FileManager.default.contents(atPath: dir + "/" + name) {
                text += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        return IgnoreRules(text)
    }

    static func isIgnored(_ path: String, isDirectory: Bool, rules: [(base: String, rules: IgnoreRules)]) -> Bool {
        for (base, ruleSet) in rules.reversed() {
            let relative = String(path.dropFirst(base.count + 1))
            if let verdict = ruleSet.verdict(relativePath: relative, isDirectory: isDirectory) { return verdict }
        }
        return false
    }
}
