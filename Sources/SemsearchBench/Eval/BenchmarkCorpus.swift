import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Texts to benchmark or evaluate on: a BEIR `corpus.jsonl` (each document is title + " " + text,
/// as BEIR does) or a folder of text files (each file one text).
public struct BenchmarkCorpus: Sendable {
    public var path: String
    public var ids: [String]
    public var texts: [String]
    /// Each document's title (BEIR `title`; empty for folders and untitled documents).
    public var titles: [String] = []

    /// Reads `path`: a `.jsonl` file in BEIR corpus form, a BEIR dataset folder (its `corpus.jsonl`),
    /// or a folder of text files. `limit` keeps the first N texts.
    public static func load(_ path: String, limit: Int? = nil) throws -> BenchmarkCorpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CorpusError.notFound(path) }
        var corpus: BenchmarkCorpus
        if isDirectory.boolValue {
            let beir = (path as NSString).appendingPathComponent("corpus.jsonl")
            corpus = FileManager.default.fileExists(atPath: beir) ? try loadBEIR(beir, limit: limit) : try loadFolder(path, limit: limit)
        } else {
            corpus = try loadBEIR(path, limit: limit)
        }
        if corpus.texts.isEmpty { throw CorpusError.empty(path) }
        return corpus
    }

    static func loadBEIR(_ path: String, limit: Int?) throws -> BenchmarkCorpus {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CorpusError.unreadable(path: path, reason: error.localizedDescription)
        }
        var ids: [String] = [], texts: [String] = [], titles: [String] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if let limit, texts.count >= limit { break }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw CorpusError.malformedLine(path: path, line: lineNumber, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String else {
                throw CorpusError.malformedLine(path: path, line: lineNumber, reason: "no \"text\" string")
            }
            let title = object["title"] as? String ?? ""
            ids.append((object["_id"] as? String) ?? (object["_id"] as? Int).map(String.init) ?? String(lineNumber))
            // A space before an untitled text is no-op for BERT, but a token of its own for BPE models.
            texts.append(title.isEmpty ? text : title + " " + text)
            titles.append(title)
        }
        return BenchmarkCorpus(path: path, ids: ids, texts: texts, titles: titles)
    }

    static func loadFolder(_ path: String, limit: Int?) throws -> BenchmarkCorpus {
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: path),
                                                          includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw CorpusError.unreadable(path: path, reason: "cannot list the folder")
        }
        var files: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url.path)
        }
        files.sort()
        var ids: [String] = [], texts: [String] = []
        for file in files {
            if let limit, texts.count >= limit { break }
            guard let data = FileManager.default.contents(atPath: file), !data.contains(0),
                  let text = String(data: data, encoding: .utf8) else { continue }
            ids.append(file)
            texts.append(text)
        }
        return BenchmarkCorpus(path: path, ids: ids, texts: texts, titles: [String](repeating: "", count: texts.count))
    }
}
