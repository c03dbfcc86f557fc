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
            discussion: "CORPUS is a BEIR corpus.jsonl (title + \" \" + text per document), a BEIR dataset folder, or a folder of text files. Each text is truncated at the model's maximum length."
        )

        @Argument(help: "corpus.jsonl, a BEIR folder, or a folder of text files.")
        var corpus: String

        @Option(help: "Use only the first N texts.")
        var limit: Int?

        @Flag(help: "Print one JSON line.")
        var json = false

        @Option(help: ArgumentHelp("Also time the PyTorch reference (sentence-transformers) on the same texts with this Python interpreter, after semsearch, and report the speed-up.", valueName: "PYTHON"))
        var reference: String?

        @OptionGroup var modelOptions: ModelOptions

        func run() throws {
            let texts = try BenchmarkCorpus.load(corpus, limit: limit).texts
            let loadStart = ResourceUsage.now()
            let model = try modelOptions.load()
            let loadSeconds = ResourceUsage.now() - loadStart
            let tokenizeStart = ResourceUsage.now()
            _ = model.tokenize(texts, threads: modelOptions.threadCount)
            let tokenizeSeconds = ResourceUsage.now() - tokenizeStart
            let result = EmbeddingBenchmark.run(model: model, texts: texts, threads: modelOptions.threadCount)
            let referenceResult = try reference.map {
                try ReferenceEmbedding(python: $0, modelDirectory: model.descriptor.directory, threads: modelOptions.threadCount,
                                       maxLength: model.descriptor.maxLength).run(texts: texts)
            }
            if json {
                print(JSONOutput.line(EmbeddingBenchmarkRecord(result, model: model.descriptor.name, loadSeconds: loadSeconds,
                                                               tokenizeSeconds: tokenizeSeconds, referenceTokensPerSecond: referenceResult?.tokens_per_s)))
            } else {
                print(String(format: "%@: %d texts, %d tokens in %.2f s: %.0f tokens/s, %.1f texts/s, %.1f GFLOP/s, %d threads, peak RSS %.0f MB",
                             model.descriptor.name, result.texts, result.tokens, result.seconds, result.tokensPerSecond, result.textsPerSecond,
                             result.gigaflopsPerSecond, result.threads, Double(result.peakResidentBytes) / 1_048_576))
                print(String(format: "model load %.2f s; tokenizing alone %.0f tokens/s (%.1f%% of the pipeline's time)",
                             loadSeconds, Double(result.tokens) / tokenizeSeconds, tokenizeSeconds / result.seconds * 100))
                if let r = referenceResult {
                    print(String(format: "PyTorch reference (torch %@, sentence-transformers %@): %d tokens in %.2f s: %.0f tokens/s; semsearch is %.2fx",
                                 r.torch, r.sentence_transformers, r.tokens, r.seconds, r.tokens_per_s, result.tokensPerSecond / r.tokens_per_s))
                }
            }
        }
    }
}
