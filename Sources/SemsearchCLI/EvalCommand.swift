import ArgumentParser
import Foundation
import SemsearchKit

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure retrieval quality on a dataset, per (layer, dim).",
        discussion: """
        DATASET is a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) or a spans folder (docs/ \
        and questions.jsonl with {"question", "file", "byte_start", "byte_end"}).

        BEIR: the corpus is indexed (a temporary index, or --db), each document (title + " " + text) \
        one file, and every judged query is ranked at each (layer, dim) of the grid. Reports nDCG@10, \
        Recall@10, Recall@100, MRR@10 and the median milliseconds per query.

        Spans: docs/ is indexed once per --situate mode; a result is a hit when its chunk overlaps the \
        answer's byte range. Reports MRR@10 and Recall@1/5/10.
        """
    )

    @Argument(help: "Dataset folder.")
    var dataset: String

    @Option(help: ArgumentHelp("Layers of the grid: all, or a list like 1,3,6 (default: the layers an index of the model stores, e.g. all 6 of MiniLM, 6,12,18,24 of EmbeddingGemma).", valueName: "all|LIST"))
    var layers: ListArgument<PositiveInt>?

    @Option(help: ArgumentHelp("Dims of the grid: a list like 64,384 (default: powers of two from 32 below the full width, and the full width).", valueName: "LIST"))
    var dims: ListArgument<PositiveInt>?

    @Option(help: "Situating modes to compare: a list like none,header, or all (default: none for BEIR, all for spans).")
    var situate: ListArgument<SituateMode>?

    @Option(help: ArgumentHelp("Vector formats to compare: a list like fp16,int8,compact, or all (default: the default format, \(VectorFormat.defaultFormat.rawValue)).", valueName: "LIST"))
    var vectors: ListArgument<VectorFormat>?

    @Option(help: "β for the mix mode.")
    var mixBeta: Float = 0.2

    @Option(help: "Tokens per chunk.")
    var chunkTokens = 128

    @Option(help: "Tokens of overlap.")
    var overlap = 16

    @Flag(help: "Fuse BM25 with the vector ranking (BEIR datasets).")
    var hybrid = false

    @Option(help: ArgumentHelp("Index with early exit: only the first K layers (see 'index --encode-layers').", valueName: "K"))
    var encodeLayers: Int?

    @Option(help: "Chunks encoded at full depth to calibrate an --encode-layers index.")
    var calibrationSample = 500

    @Flag(help: "Search early layers without their adapters (the default fits and applies them).")
    var raw = false

    @Flag(help: "Report both the calibrated and the raw grid.")
    var compareRaw = false

    @Flag(help: "Calibrate with the final embedding rotated onto its principal axes.")
    var pca = false

    @Option(help: ArgumentHelp("Keep the BEIR index in this database (and its documents beside it) to reuse it.", valueName: "PATH"))
    var db: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        if chunkTokens < 8 { throw ValidationError("--chunk-tokens must be at least 8") }
        if overlap < 0 || overlap >= chunkTokens { throw ValidationError("--overlap must be between 0 and --chunk-tokens") }
        if raw && compareRaw { throw ValidationError("--raw and --compare-raw exclude each other") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataset, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CorpusError.notFound(dataset)
        }
        let model = try modelOptions.load()
        let layerList = layers?.numbers(all: Array(1...model.layerCount)) ?? model.descriptor.defaultStoredLayers
        let full = model.hiddenSize
        let dimList = dims?.numbers(all: MatryoshkaCell.standardDims(width: full)) ?? MatryoshkaCell.standardDims(width: full)
        // An early-exit index has no layer past the encoded depth.
        let cells = layerList.filter { $0 <= (encodeLayers ?? layerList.max()!) }.flatMap { layer in dimList.map { MatryoshkaCell(layer: layer, dim: $0) } }
        for cell in cells { try model.validate(layer: cell.layer, dim: cell.dim) }
        let beir = BEIRDataset.isBEIR(dataset)
        let modes = situate?.resolved(all: SituateMode.allCases) ?? (beir ? [.none] : SituateMode.allCases)
        var run = EvaluationRun(model: model, modes: modes, cells: cells, layers: layerList)
        run.chunkTokens = chunkTokens
        run.overlap = overlap
        run.hybrid = hybrid
        run.encodeLayers = encodeLayers
        run.calibrationSample = calibrationSample
        run.calibrations = compareRaw ? [true, false] : [!raw]
        run.principalAxes = pca
        run.mixBeta = mixBeta
        run.threads = modelOptions.threadCount
        run.database = db
        run.formats = vectors?.resolved(all: VectorFormat.allCases)
        if beir {
            try reportBEIR(run)
        } else {
            if hybrid { throw CommandError.usage("--hybrid applies to BEIR datasets") }
            try reportSpans(run)
        }
    }

    // MARK: - Reports

    /// Prints a BEIR run as a table, or as one JSON object with --json.
    private func reportBEIR(_ run: EvaluationRun) throws {
        var record = BEIREvaluationRecord(dataset: "", queries: 0, documents: 0, results: [])
        var events = EvaluationRun.Events()
        events.log = { message in if !json { FileHandle.standardError.write(Data((message + "\n").utf8)) } }
        events.started = { name, queries, documents in
            (record.dataset, record.queries, record.documents) = (name, queries, documents)
            guard !json else { return }
            print("\(name): \(queries) queries with judgments, \(documents) documents, \(chunkTokens)-token chunks\(hybrid ? ", hybrid" : "")")
            print("situate  vectors  layer  dim   cal  nDCG@10  R@10    R@100   MRR@10  p50 ms")
        }
        events.beirRow = { mode, format, result in
            let m = result.metrics
            if json {
                record.results.append(BEIREvaluationRecord.Row(mode: mode, format: format, result: result, hybrid: hybrid, chunkTokens: chunkTokens))
            } else {
                print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + format.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + String(format: "%-6d %-5d ", result.cell.layer, result.cell.dim) + (result.calibrated ? "yes  " : "no   ")
                      + String(format: "%.4f   %.4f  %.4f  %.4f  %.1f", m.ndcgAt10, m.recallAt10, m.recallAt100, m.mrrAt10, result.p50Milliseconds))
            }
        }
        try run.runBEIR(dataset: dataset, events: events)
        if json {
            print(JSONOutput.line(record))
        }
    }

    /// Prints a span run as a table, or as one JSON object with --json.
    private func reportSpans(_ run: EvaluationRun) throws {
        var record = SpanEvaluationRecord(dataset: dataset, queries: 0, chunkTokens: chunkTokens, results: [])
        var events = EvaluationRun.Events()
        events.log = { message in if !json { FileHandle.standardError.write(Data((message + "\n").utf8)) } }
        events.started = { _, count, _ in
            record.queries = count
            if !json { print("situate  vectors  layer  dim   cal  MRR@10  R@1    R@5    R@10   p50 ms   (\(count) questions, \(chunkTokens)-token chunks)") }
        }
        events.spanRow = { mode, format, cell, applied, m in
            if json {
                record.results.append(SpanEvaluationRecord.Row(mode: mode, format: format, cell: cell, calibrated: applied, metrics: m))
            } else {
                print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + format.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + String(format: "%-6d %-5d ", cell.layer, cell.dim) + (applied ? "yes  " : "no   ")
                      + String(format: "%.3f   %.3f  %.3f  %.3f  %.1f", m.mrrAt10, m.recallAt1, m.recallAt5, m.recallAt10, m.p50Milliseconds))
            }
        }
        try run.runSpans(dataset: dataset, events: events)
        if json {
            print(JSONOutput.line(record))
        }
    }
}
