import SemsearchBench
import SemsearchKit

/// The line `semsearch bench embed --json` prints.
struct EmbeddingBenchmarkRecord: Encodable {
    /// Texts and tokens encoded (all layers), and the seconds the whole pipeline took.
    var texts: Int
    var tokens: Int
    var seconds: Double
    /// Throughput of the pipeline (tokenize + encode), one decimal.
    var tokensPerSecond: Double
    var textsPerSecond: Double
    var gigaflopsPerSecond: Double
    /// The process's peak resident memory in MiB (2^20 bytes, though the key says mb), and
    /// `--threads`: the encoder's threads (tokenizing is serial at 1, else on every core).
    var peakResidentMegabytes: Double
    var threads: Int
    /// The model's name, its load time, and the tokenizer's throughput on its own.
    var model: String
    var modelLoadSeconds: Double
    var tokenizeTokensPerSecond: Double
    /// With `--reference`: the PyTorch reference's throughput and semsearch's speed-up over it.
    var referenceTokensPerSecond: Double?
    var speedup: Double?

    enum CodingKeys: String, CodingKey {
        case texts, tokens, seconds, tokensPerSecond = "tokens_per_s", textsPerSecond = "texts_per_s"
        case gigaflopsPerSecond = "gflops_per_s", peakResidentMegabytes = "peak_rss_mb", threads, model
        case modelLoadSeconds = "model_load_s", tokenizeTokensPerSecond = "tokenize_tokens_per_s"
        case referenceTokensPerSecond = "reference_tokens_per_s", speedup
    }

    init(_ result: EmbeddingBenchmark, model: String, loadSeconds: Double, tokenizeSeconds: Double, referenceTokensPerSecond: Double?) {
        texts = result.texts
        tokens = result.tokens
        seconds = result.seconds
        tokensPerSecond = JSONOutput.rounded(result.tokensPerSecond, places: 1)
        textsPerSecond = JSONOutput.rounded(result.textsPerSecond, places: 1)
        gigaflopsPerSecond = JSONOutput.rounded(result.gigaflopsPerSecond, places: 1)
        peakResidentMegabytes = JSONOutput.rounded(Double(result.peakResidentBytes) / 1_048_576, places: 1)
        threads = result.threads
        self.model = model
        modelLoadSeconds = loadSeconds
        tokenizeTokensPerSecond = (Double(result.tokens) / tokenizeSeconds).rounded()
        self.referenceTokensPerSecond = referenceTokensPerSecond
        speedup = referenceTokensPerSecond.map { JSONOutput.rounded(result.tokensPerSecond / $0, places: 2) }
    }
}
