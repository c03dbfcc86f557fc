import ArgumentParser
import Foundation
import SemsearchKit

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure retrieval quality on a dataset.",
        discussion: """
        DATASET in the spans format: a docs/ folder and questions.jsonl with {"question", "file", \
        "byte_start", "byte_end"}. Each --situate mode gets a temporary index of docs/; a result is a \
        hit when its chunk overlaps the answer's byte range. Reports MRR@10 and Recall@1/5/10.
        """
    )

    @Argument(help: "Dataset folder (docs/ + questions.jsonl).")
    var dataset: String

    @Option(help: "Situating modes to compare: a list like none,late, or all.")
    var situate = "all"

    @Option(help: "β for the mix mode.")
    var mixBeta: Float = 0.2

    @Option(help: "Tokens per chunk.")
    var chunkTokens = 128

    @Option(help: "Tokens of overlap.")
    var overlap = 16

    @Option(help: "Layer to search (default: the last).")
    var layer: Int?

    @Option(help: "Dims to search (default: all).")
    var dim: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let modes: [SituateMode] = situate == "all" ? SituateMode.allCases : try situate.split(separator: ",").map {
            guard let mode = SituateMode(rawValue: String($0)) else { throw CommandError.usage("unknown --situate mode '\($0)'") }
            return mode
        }
        let docs = (dataset as NSString).appendingPathComponent("docs")
        let questions = try SpanEvaluation.questions(dataset: dataset)
        guard FileManager.default.fileExists(atPath: docs) else { throw CorpusError.notFound(docs) }
        let model = try modelOptions.load()
        let layer = self.layer ?? model.layerCount, dim = self.dim ?? model.hiddenSize
        try model.validate(layer: layer, dim: dim)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var rows: [String] = []
        if !json { print("mode     MRR@10  R@1    R@5    R@10   p50 ms   (\(questions.count) questions, layer \(layer), dim \(dim), \(chunkTokens)-token chunks)") }
        for mode in modes {
            var options = IndexOptions()
            options.situate = mode
            options.chunkTokens = chunkTokens
            options.overlap = overlap
            options.layers = [layer]
            options.threads = modelOptions.threadCount
            let store = try IndexStore(path: scratch.appendingPathComponent("\(mode.rawValue).sqlite").path, create: true)
            _ = try Indexer(store: store, model: model, options: options).index(roots: [docs])
            let m = try SpanEvaluation.run(store: store, model: model, questions: questions, docsRoot: docs,
                                           layer: layer, dim: dim, mixBeta: mode == .mix ? mixBeta : 0)
            if json {
                rows.append("{\"situate\":\"\(mode.rawValue)\",\"mrr@10\":\(m.mrrAt10),\"recall@1\":\(m.recallAt1),\"recall@5\":\(m.recallAt5),\"recall@10\":\(m.recallAt10),\"p50_ms\":\(m.p50Milliseconds)}")
            } else {
                print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + String(format: "%.3f   %.3f  %.3f  %.3f  %.1f", m.mrrAt10, m.recallAt1, m.recallAt5, m.recallAt10, m.p50Milliseconds))
            }
        }
        if json {
            print("{\"dataset\":\(JSONText.string(dataset)),\"queries\":\(questions.count),\"layer\":\(layer),\"dim\":\(dim),\"chunk_tokens\":\(chunkTokens),\"results\":[\(rows.joined(separator: ","))]}")
        }
    }
}
