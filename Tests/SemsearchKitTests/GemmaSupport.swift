import Foundation
import Testing
import SemsearchKit

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
