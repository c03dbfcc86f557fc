import ArgumentParser
import Foundation
import SemsearchBench
import SemsearchKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed on real data.",
        subcommands: [EmbedBench.self, SearchBench.self, TUIBench.self, MCPBench.self, ExtractBench.self]
    )

    struct EmbedBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Encode a corpus with every layer and report tokens/s, peak memory and FLOP rate.",
            discussion: "CORPUS is a BEIR corpus.jsonl (title + \" \" + text per document), a BEIR dataset folder, or a folder of text files. Each text is truncated at the model's maximum length. With --precision fp32,int8 both precisions run in turn on the same texts in this process, and int8's speed and per-layer cosine to fp32 are reported (peak memory is then the process's, both runs together)."
        )

        @Argument(help: "corpus.jsonl, a BEIR folder, or a folder of text files.")
        var corpus: String

        @Option(help: "Use only the first N texts.")
        var limit: Int?

        @Flag(help: "Print one JSON line.")
        var json = false

        @Option(help: ArgumentHelp("Also time the PyTorch reference (sentence-transformers) on the same texts with this Python interpreter, after semsearch, and report the speed-up.", valueName: "PYTHON"))
        var reference: String?

        @Option(help: ArgumentHelp("Encoder precision(s), run in turn on the same texts: fp32 (default), int8, or fp32,int8 to compare.", valueName: "P[,P]"))
        var precision: ListArgument<EncoderPrecision>?

        @Flag(help: "Also report the activation outliers entering each dense layer (max|x| / rms per token; slows the run).")
        var outliers = false

        @OptionGroup var modelOptions: ModelOptions

        func run() throws {
            let texts = try BenchmarkCorpus.load(corpus, limit: limit).texts
            if outliers { ActivationOutliers.start() }
            let precisions = precision?.resolved(all: EncoderPrecision.allCases) ?? [.fp32]
            let compares = precisions.count > 1 && precisions.contains(.fp32)
            var fp32: EmbeddingBenchmark?
            var records: [EmbeddingBenchmarkRecord] = [], lines: [String] = []
            var last: (EmbeddingBenchmark, EmbeddingModel)?
            // fp32 first, so every other precision is compared with it.
            for p in precisions.sorted(by: { ($0 == .fp32 ? 0 : 1) < ($1 == .fp32 ? 0 : 1) }) {
                let loadStart = ResourceUsage.now()
                let model = try modelOptions.load(precision: p)
                let loadSeconds = ResourceUsage.now() - loadStart
                let tokenizeStart = ResourceUsage.now()
                _ = model.tokenize(texts, threads: modelOptions.threadCount)
                let tokenizeSeconds = ResourceUsage.now() - tokenizeStart
                let result = EmbeddingBenchmark.run(model: model, texts: texts, threads: modelOptions.threadCount, keepEmbeddings: compares)
                let agreement = p != .fp32 ? fp32.map { LayerAgreement(reference: $0.embeddings, candidate: result.embeddings) } : nil
                let baseline = p != .fp32 ? fp32 : nil
                records.append(EmbeddingBenchmarkRecord(result, model: model.descriptor.name, loadSeconds: loadSeconds,
                                                        tokenizeSeconds: tokenizeSeconds, referenceTokensPerSecond: nil,
                                                        fp32: baseline, agreement: agreement))
                lines.append(String(format: "%@ %@ (%@): %d texts, %d tokens in %.2f s: %.0f tokens/s, %.1f texts/s, %.1f GFLOP/s, %d threads, peak RSS %.0f MB",
                                    model.descriptor.name, p.rawValue, p.kernelName, result.texts, result.tokens, result.seconds, result.tokensPerSecond,
                                    result.textsPerSecond, result.gigaflopsPerSecond, result.threads, Double(result.peakResidentBytes) / 1_048_576))
                lines.append(String(format: "model load %.2f s; tokenizing alone %.0f tokens/s (%.1f%% of the pipeline's time)",
                                    loadSeconds, Double(result.tokens) / tokenizeSeconds, tokenizeSeconds / result.seconds * 100))
                if let baseline, let agreement {
                    lines.append(String(format: "%@ vs fp32: %.2fx the speed; cosine to fp32 %.6f mean, %.6f worst text (last layer); per layer %@",
                                        p.rawValue, result.tokensPerSecond / baseline.tokensPerSecond, agreement.finalMeanCosine,
                                        agreement.finalMinimumCosine, agreement.meanCosine.map { String(format: "%.5f", $0) }.joined(separator: " ")))
                }
                if p == .fp32 { fp32 = result }
                last = (result, model)
            }
            if let reference, let (result, model) = last {
                let r = try ReferenceEmbedding(python: reference, modelDirectory: model.descriptor.directory, threads: modelOptions.threadCount,
                                               maxLength: model.descriptor.maxLength).run(texts: texts)
                records[records.count - 1].referenceTokensPerSecond = r.tokens_per_s
                records[records.count - 1].speedup = JSONOutput.rounded(result.tokensPerSecond / r.tokens_per_s, places: 2)
                lines.append(String(format: "PyTorch reference (torch %@, sentence-transformers %@): %d tokens in %.2f s: %.0f tokens/s; semsearch %@ is %.2fx",
                                    r.torch, r.sentence_transformers, r.tokens, r.seconds, r.tokens_per_s, result.precision.rawValue,
                                    result.tokensPerSecond / r.tokens_per_s))
            }
            if json {
                for record in records { print(JSONOutput.line(record)) }
            } else {
                for line in lines { print(line) }
            }
            if outliers {
                // Every precision saw the same inputs at the first layer; later ones differ slightly.
                print("activation outliers per dense layer (max|x| / rms per token: mean, worst; the channel holding most tokens' max, its share):")
                for entry in ActivationOutliers.stop() {
                    let top = entry.dominantChannel
                    print(String(format: "  %@: mean %.1f, worst %.1f; channel %d in %.0f%% of %d tokens", entry.label, entry.meanRatio,
                                 entry.worstRatio, top.channel, top.share * 100, entry.tokens))
                }
            }
        }
    }
}
