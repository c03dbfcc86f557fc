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

    /// A JSON object file of the model, or nil when the file does not exist.
    func jsonObject(_ file: String) throws -> [String: Any]? { try Self.jsonObject(atPath: path(file)) }

    /// A JSON object file, or nil when the file does not exist.
    static func jsonObject(atPath path: String) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.invalidJSON(path: path, reason: "expected a JSON object")
        }
        return object
    }

    func modelType() throws -> String {
        guard let data = FileManager.default.contents(atPath: path("config.json")) else {
            throw ModelError.missingFile(directory: directory, file: "config.json")
        }
        guard let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.unsupportedConfig(path: path("config.json"), reason: "not valid JSON")
        }
        return config["model_type"] as? String ?? ""
    }

    /// `sentence_bert_config.json`'s `max_seq_length`, if set.
    func sentenceMaxLength() throws -> Int? {
        guard let length = try jsonObject("sentence_bert_config.json")?["max_seq_length"] as? Int, length > 2 else { return nil }
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
        return try Self.jsonObject(atPath: (last as NSString).appendingPathComponent("config.json"))?["out_features"] as? Int
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
