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
    /// The encoder's precision and the kernel its dense layers ran.
    var precision: EncoderPrecision
    var kernel: String
    /// When fp32 ran in the same process before this precision: this run's speed over fp32's, and
    /// its vectors' cosine to fp32's (last layer mean and worst text, and each layer's mean).
    var speedupOverFP32: Double?
    var cosineToFP32: Double?
    var minimumCosineToFP32: Double?
    var layerCosinesToFP32: [Double]?

    enum CodingKeys: String, CodingKey {
        case texts, tokens, seconds, tokensPerSecond = "tokens_per_s", textsPerSecond = "texts_per_s"
        case gigaflopsPerSecond = "gflops_per_s", peakResidentMegabytes = "peak_rss_mb", threads, model
        case modelLoadSeconds = "model_load_s", tokenizeTokensPerSecond = "tokenize_tokens_per_s"
        case referenceTokensPerSecond = "reference_tokens_per_s", speedup, precision, kernel
        case speedupOverFP32 = "speedup_over_fp32", cosineToFP32 = "cosine_to_fp32"
        case minimumCosineToFP32 = "min_cosine_to_fp32", layerCosinesToFP32 = "layer_cosines_to_fp32"
    }

    init(_ result: EmbeddingBenchmark, model: String, loadSeconds: Double, tokenizeSeconds: Double, referenceTokensPerSecond: Double?,
         fp32: EmbeddingBenchmark? = nil, agreement: LayerAgreement? = nil) {
        precision = result.precision
        kernel = result.precision.kernelName
        speedupOverFP32 = fp32.map { JSONOutput.rounded(result.tokensPerSecond / $0.tokensPerSecond, places: 3) }
        cosineToFP32 = agreement.map { JSONOutput.rounded($0.finalMeanCosine, places: 6) }
        minimumCosineToFP32 = agreement.map { JSONOutput.rounded($0.finalMinimumCosine, places: 6) }
        layerCosinesToFP32 = agreement.map { $0.meanCosine.map { JSONOutput.rounded($0, places: 6) } }
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
