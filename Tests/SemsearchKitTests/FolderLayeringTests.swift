import Foundation
import Testing

/// The folders of SemsearchKit depend on each other one way (docs/ARCHITECTURE.md §8): a type a
/// folder declares is named only by its own folder and the folders above it. A value type that
/// lands in its first user's folder, or a store that starts building a searcher's types, shows
/// here as a use going up.
struct FolderLayeringTests {
    /// Bottom to top; the files at the top of SemsearchKit (its exports) may use anything.
    static let layers = ["Vectors", "Store", "Index", "Ingest", "Search", "Status"]

    static var kitSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SemsearchKit")
    }

    /// Each Swift file of the Kit with its top folder and its text without comments and strings.
    static func sources() throws -> [(folder: String, name: String, code: String)] {
        let root = kitSources
        var out: [(String, String, String)] = []
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let relative = url.path.dropFirst(root.path.count + 1)
            guard let slash = relative.firstIndex(of: "/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let code = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                guard let comment = line.range(of: "//") else { return line }
                return line[..<comment.lowerBound]
            }.joined(separator: "\n")
            out.append((String(relative[..<slash]), url.lastPathComponent, code))
        }
        return out
    }

    @Test func everyFolderUsesOnlyTheFoldersBelowIt() throws {
        let sources = try Self.sources()
        #expect(Set(sources.map(\.folder)) == Set(Self.layers), "a folder was added or renamed: place it in `layers`")
        let declaration = try Regex(#"(?m)^(?:public |final |indirect )*(?:struct|class|enum|protocol|actor|typealias) ([A-Z]\w*)"#)
        var owner: [String: String] = [:]
        for source in sources {
            for match in source.code.matches(of: declaration) { owner[String(match.output[1].substring!)] = source.folder }
        }
        #expect(owner.count > 50, "the declarations were found")
        var upward: [String] = []
        for source in sources {
            let rank = Self.layers.firstIndex(of: source.folder)!
            let words = Set(source.code.split { !$0.isLetter && !$0.isNumber && $0 != "_" }.map(String.init))
            for word in words {
                guard let folder = owner[word], folder != source.folder else { continue }
                if Self.layers.firstIndex(of: folder)! > rank { upward.append("\(source.folder)/\(source.name) uses \(folder)'s \(word)") }
            }
        }
        #expect(upward.isEmpty, "\(upward.sorted().joined(separator: "; "))")
    }
}
