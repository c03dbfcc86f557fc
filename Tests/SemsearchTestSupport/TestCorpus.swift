import Foundation

/// Writes a folder of text files for a test to index: each key a path relative to `folder` (its
/// folders created), each value the file's UTF-8 text.
public enum TestCorpus {
    public static func write(_ files: [String: String], in folder: URL) throws {
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
