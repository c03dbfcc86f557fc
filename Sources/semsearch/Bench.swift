import ArgumentParser
import Foundation
import SemsearchKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed on real data.",
        subcommands: [EmbedBench.self, SearchBench.self, TUIBench.self]
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

        @OptionGroup var modelOptions: ModelOptions

        func run() throws {
            let texts = try BenchmarkCorpus.load(corpus, limit: limit).texts
            let model = try modelOptions.load()
            let result = EmbeddingBenchmark.run(model: model, texts: texts, threads: modelOptions.threadCount)
            if json {
                print(result.json)
            } else {
                print(String(format: "%d texts, %d tokens in %.2f s: %.0f tokens/s, %.1f texts/s, %.1f GFLOP/s, %d threads, peak RSS %.0f MB",
                             result.texts, result.tokens, result.seconds, result.tokensPerSecond, result.textsPerSecond,
                             result.gigaflopsPerSecond, result.threads, Double(result.peakResidentBytes) / 1_048_576))
            }
        }
    }
}
