import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// Where the real EmbeddingGemma download is, for the tests that need it: `$SEMSEARCH_EMBEDDINGGEMMA`,
/// else the cache `fetch-embeddinggemma.sh` fills. Those tests are disabled, with this reason
/// printed, when neither has it.
enum GemmaSupport {
    static let directory: String? = {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let dir = env["SEMSEARCH_EMBEDDINGGEMMA"], !dir.isEmpty { candidates.append(dir) }
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        candidates.append(cache + "/semsearch-dev/embeddinggemma-300m")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/model.safetensors") }
    }()

    static let available = directory != nil
    static let skipReason: Comment = "EmbeddingGemma not found: set SEMSEARCH_EMBEDDINGGEMMA or run ../shared/models/fetch-embeddinggemma.sh"

    static let tokenizer: BPETokenizer? = directory.flatMap { try? BPETokenizer(tokenizerJSON: $0 + "/tokenizer.json", maxLength: 512) }
}

extension GemmaSupport {
    /// EmbeddingGemma imported to fp16 once per test run (the model users run), in a temporary store.
    static let imported: EmbeddingModel? = {
        guard let directory else { return nil }
        do {
            let target = try TestSupport.temporaryDirectory().appendingPathComponent("embeddinggemma-300m").path
            try ModelStore(userDirectory: NSTemporaryDirectory(), builtInDirectory: nil).importModel(from: directory, destination: target)
            return try EmbeddingModel.load(directory: target)
        } catch {
            Issue.record("importing EmbeddingGemma failed: \(error)")
            return nil
        }
    }()
}

/// One entry of `embeddinggemma-embeddings.jsonl`.
struct GoldenHeadEmbedding: Decodable {
    var text: String
    var max_length: Int
    var tokens: Int
    var head_by_layer: [[Float]]
    var normalized_final: [Float]
}
