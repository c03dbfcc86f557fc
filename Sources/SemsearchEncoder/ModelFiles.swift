import SemsearchCore
import Foundation

/// Paths and small JSON reads inside one model directory.
struct ModelFiles {
    let url: URL
    let directory: String

    init(directory: String) {
        self.directory = directory
        url = URL(fileURLWithPath: directory).standardizedFileURL
    }

    func path(_ file: String) -> String { url.appendingPathComponent(file).path }
    func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

    /// A JSON file of the model decoded as `type` (``SentenceTransformersFiles``), or nil when the
    /// file does not exist.
    func decode<T: Decodable>(_ type: T.Type, _ file: String) throws -> T? {
        try SentenceTransformersFiles.decode(type, atPath: path(file))
    }

    func modelType() throws -> String {
        guard exists("config.json") else { throw ModelError.missingFile(directory: directory, file: "config.json") }
        do {
            return try decode(SentenceTransformersFiles.ModelType.self, "config.json")?.modelType ?? ""
        } catch ModelError.invalidJSON(let path, let reason) {
            throw ModelError.unsupportedConfig(path: path, reason: reason)
        }
    }

    /// `sentence_bert_config.json`'s `max_seq_length`, if set.
    func sentenceMaxLength() throws -> Int? {
        guard let length = try decode(SentenceTransformersFiles.SentenceBertConfig.self, "sentence_bert_config.json")?.maxSeqLength,
              length > 2 else { return nil }
        return length
    }

    func weightsPath() throws -> String {
        if exists("model.safetensors") { return path("model.safetensors") }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
        guard files.count == 1 else {
            throw ModelError.missingFile(directory: directory, file: files.isEmpty
                ? "model.safetensors" : "a single *.safetensors file (found \(files.count); sharded weights are not supported)")
        }
        return path(files[0])
    }

    /// The last `Dense` module's `out_features`.
    func headOutputSize(_ directories: [String]) throws -> Int? {
        guard let last = directories.last else { return nil }
        return try SentenceTransformersFiles.decode(SentenceTransformersFiles.DenseConfig.self,
                                                    atPath: (last as NSString).appendingPathComponent("config.json"))?.outFeatures
    }

    /// The `language:` of the model card's front matter (`en` → `English`), if it has one.
    func cardLanguages() -> String? {
        guard let data = FileManager.default.contents(atPath: path("README.md")),
              let text = String(data: data.prefix(4096), encoding: .utf8), text.hasPrefix("---") else { return nil }
        var languages: [String] = []
        var inList = false
        for line in text.split(separator: "\n").dropFirst() {
            if line.hasPrefix("---") { break }
            if line.hasPrefix("language:") {
                let value = line.dropFirst("language:".count).trimmingCharacters(in: .whitespaces)
                if value.isEmpty { inList = true } else { languages.append(value) }
            } else if inList, line.hasPrefix("- ") || line.hasPrefix("  - ") {
                languages.append(line.trimmingCharacters(in: .whitespaces).dropFirst(2).trimmingCharacters(in: .whitespaces))
            } else {
                inList = false
            }
        }
        guard !languages.isEmpty else { return nil }
        if languages.count > 3 { return "\(languages.count) languages" }
        return languages.map { $0 == "en" ? "English" : $0 }.joined(separator: ", ")
    }
}
