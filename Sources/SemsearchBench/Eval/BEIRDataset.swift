import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// A retrieval dataset in BEIR layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl`
/// (`_id`, `text`) and `qrels/test.tsv` (query id, document id, grade; a header line is allowed).
public struct BEIRDataset: Sendable {
    public var name: String
    public var corpus: BenchmarkCorpus
    /// Queries that have at least one relevant document (grade > 0), in file order.
    public var queries: [(id: String, text: String)]
    /// Grades by query id, then document id.
    public var judgments: [String: [String: Int]]

    /// Whether `folder` looks like a BEIR dataset.
    public static func isBEIR(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("corpus.jsonl"))
    }

    /// Reads the dataset in `folder`; `qrels/test.tsv` is preferred, else the only `.tsv` in `qrels/`.
    public static func load(_ folder: String) throws -> BEIRDataset {
        let corpus = try BenchmarkCorpus.load((folder as NSString).appendingPathComponent("corpus.jsonl"))
        let judgments = try loadJudgments(qrelsPath(folder))
        let queriesPath = (folder as NSString).appendingPathComponent("queries.jsonl")
        guard let data = FileManager.default.contents(atPath: queriesPath) else { throw CorpusError.notFound(queriesPath) }
        var queries: [(id: String, text: String)] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                  let text = object["text"] as? String else {
                throw CorpusError.malformedLine(path: queriesPath, line: index + 1, reason: "expected {\"_id\", \"text\"}")
            }
            let id = (object["_id"] as? String) ?? (object["_id"] as? Int).map(String.init) ?? ""
            if judgments[id]?.values.contains(where: { $0 > 0 }) == true { queries.append((id, text)) }
        }
        if queries.isEmpty { throw CorpusError.empty(queriesPath + " (no query has a relevant document in the qrels)") }
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        return BEIRDataset(name: name, corpus: corpus, queries: queries, judgments: judgments)
    }

    private static func qrelsPath(_ folder: String) throws -> String {
        let qrels = (folder as NSString).appendingPathComponent("qrels")
        let test = (qrels as NSString).appendingPathComponent("test.tsv")
        if FileManager.default.fileExists(atPath: test) { return test }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: qrels)) ?? []).filter { $0.hasSuffix(".tsv") }
        guard files.count == 1 else { throw CorpusError.notFound(test) }
        return (qrels as NSString).appendingPathComponent(files[0])
    }

    static func loadJudgments(_ path: String) throws -> [String: [String: Int]] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CorpusError.unreadable(path: path, reason: "not readable as UTF-8 text")
        }
        var judgments: [String: [String: Int]] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, let grade = Int(fields[2]) else {
                if index == 0 { continue } // header: query-id corpus-id score
                throw CorpusError.malformedLine(path: path, line: index + 1, reason: "expected query id, document id and grade separated by tabs")
            }
            judgments[fields[0], default: [:]][fields[1]] = grade
        }
        return judgments
    }
}
