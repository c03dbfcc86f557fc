import ArgumentParser
import Foundation
import SemsearchBench
import SemsearchKit

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure retrieval quality on datasets, per (layer, dim), chunk size, situating and ranking.",
        discussion: """
        Each DATASET is a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) or a spans folder (docs/ \
        and questions.jsonl with {"question", "file", "byte_start", "byte_end"}).

        BEIR: the corpus is indexed (a temporary index, or --db), each document (title + " " + text) \
        one file, and every judged query is ranked at each (layer, dim) of the grid. Reports nDCG@10, \
        Recall@10, Recall@100, MRR@10 and the median milliseconds per query.

        Spans: docs/ is indexed once per --situate mode; a result is a hit when its chunk overlaps the \
        answer's byte range. Reports MRR@10 and Recall@1/5/10.

        Every combination of --chunk-tokens, --situate and --ranking is measured. With more than one \
        dataset or combination, a summary table follows: each combination's headline score on each \
        dataset (nDCG@10 for BEIR, MRR@10 for spans) at the cell a plain search uses, the database \
        bytes per document, and the mean over the datasets. Example:
          semsearch eval ../shared/datasets/{msmarco-5k,squad-rhine,squad-pt} --chunk-tokens 64,128 \
            --situate none,header --ranking vector,hybrid
        """
    )

    @Argument(help: "Dataset folders.")
    var datasets: [String]

    @Option(help: ArgumentHelp("Layers of the grid: all, or a list like 1,3,6 (default: the layers an index of the model stores, e.g. all 6 of MiniLM, 6,12,18,24 of EmbeddingGemma).", valueName: "all|LIST"))
    var layers: ListArgument<PositiveInt>?

    @Option(help: ArgumentHelp("Dims of the grid: a list like 64,384 (default: powers of two from 32 below the full width, and the full width).", valueName: "LIST"))
    var dims: ListArgument<PositiveInt>?

    @Option(help: "Situating modes to compare: a list like none,header, or all (default: \(SituateMode.defaultMode.rawValue) for BEIR, all for spans).")
    var situate: ListArgument<SituateMode>?

    @Option(help: ArgumentHelp("Vector formats to compare: a list like fp16,int8,compact, or all (default: the default format, \(VectorFormat.defaultFormat.rawValue)).", valueName: "LIST"))
    var vectors: ListArgument<VectorFormat>?

    @Option(help: "β for the mix mode.")
    var mixBeta: Float = 0.2

    @Option(help: ArgumentHelp("Tokens per chunk: a size or a list to compare, like 64,128 (default: the index default, \(IndexOptions().chunkTokens)).", valueName: "LIST"))
    var chunkTokens: ListArgument<PositiveInt>?

    @Option(help: "Tokens of overlap (at most half a chunk).")
    var overlap = IndexOptions().overlap

    @Option(help: ArgumentHelp("Rankings to compare: vector, hybrid (BM25 fused in), or all (default: what a plain search does, \(SearchOptions().hybrid ? "hybrid" : "vector")).", valueName: "LIST"))
    var ranking: ListArgument<RankingChoice>?

    @Flag(help: "Fuse BM25 with the vector ranking (the same as --ranking hybrid).")
    var hybrid = false

    @Option(help: ArgumentHelp("Weights of the BM25 ranking in hybrid fusion to compare, the vector ranking's being 1: numbers, or auto (by how sure BM25 is of each query; the default).", valueName: "LIST"))
    var keywordWeight: ListArgument<KeywordWeight>?

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

    @Option(help: ArgumentHelp("Encoder precision for the documents: fp32 or int8 (queries are embedded in fp32, as in a search).", valueName: "P"))
    var precision: EncoderPrecision = .fp32

    @OptionGroup var modelOptions: ModelOptions

    /// The chunk sizes to compare.
    private var chunkSizes: [Int] { chunkTokens?.numbers(all: [IndexOptions().chunkTokens]) ?? [IndexOptions().chunkTokens] }

    func validate() throws {
        if datasets.isEmpty { throw ValidationError("name at least one dataset folder") }
        if chunkSizes.contains(where: { $0 < 8 }) { throw ValidationError("--chunk-tokens must be at least 8") }
        if overlap < 0 { throw ValidationError("--overlap must not be negative") }
        if raw && compareRaw { throw ValidationError("--raw and --compare-raw exclude each other") }
        if hybrid && ranking != nil { throw ValidationError("--hybrid and --ranking exclude each other") }
        if db != nil && datasets.count > 1 { throw ValidationError("--db keeps the index of one dataset; name one") }
    }

    func run() throws {
        for dataset in datasets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataset, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CorpusError.notFound(dataset)
            }
        }
        let model = try modelOptions.load(precision: precision)
        let queryModel = precision == .fp32 ? nil : try modelOptions.load()
        let layerList = layers?.numbers(all: Array(1...model.layerCount)) ?? model.descriptor.defaultStoredLayers
        let full = model.hiddenSize
        let dimList = dims?.numbers(all: MatryoshkaCell.standardDims(width: full)) ?? MatryoshkaCell.standardDims(width: full)
        // An early-exit index has no layer past the encoded depth.
        let cells = layerList.filter { $0 <= (encodeLayers ?? layerList.max()!) }.flatMap { layer in dimList.map { MatryoshkaCell(layer: layer, dim: $0) } }
        for cell in cells { try model.validate(layer: cell.layer, dim: cell.dim) }
        // The summary reports the cell a plain search uses: the deepest layer at full width.
        let summaryCell = cells.last { $0.dim == full && $0.layer == cells.map(\.layer).max() } ?? cells.last!
        var summary = EvaluationSummary()
        for dataset in datasets {
            let beir = BEIRDataset.isBEIR(dataset)
            let modes = situate?.resolved(all: SituateMode.allCases) ?? (beir ? [SituateMode.defaultMode] : SituateMode.allCases)
            var run = EvaluationRun(model: model, modes: modes, cells: cells, layers: layerList)
            run.queryModel = queryModel
            run.chunkSizes = chunkSizes
            run.overlap = overlap
            run.rankings = hybrid ? [true] : (ranking?.resolved(all: RankingChoice.allCases).map { $0 == .hybrid } ?? run.rankings)
            run.keywordWeights = keywordWeight?.resolved(all: [.adaptive]) ?? run.keywordWeights
            run.encodeLayers = encodeLayers
            run.calibrationSample = calibrationSample
            run.calibrations = compareRaw ? [true, false] : [!raw]
            run.principalAxes = pca
            run.mixBeta = mixBeta
            run.threads = modelOptions.threadCount
            run.database = db
            run.formats = vectors?.resolved(all: VectorFormat.allCases)
            let name = URL(fileURLWithPath: dataset).standardizedFileURL.lastPathComponent
            summary.begin(dataset: name, metric: beir ? "nDCG@10" : "MRR@10")
            if beir {
                try reportBEIR(run, dataset: dataset, totals: &summary, summaryCell: summaryCell)
            } else {
                try reportSpans(run, dataset: dataset, totals: &summary, summaryCell: summaryCell)
            }
        }
        if summary.datasets.count > 1 || summary.keys.count > 1 {
            if json {
                print(JSONOutput.line(EvaluationSummaryRecord(summary, cell: summaryCell)))
            } else {
                printSummary(summary, cell: summaryCell)
            }
        }
    }

    // MARK: - Reports

    /// Prints a BEIR run as a table, or as one JSON object with --json.
    private func reportBEIR(_ run: EvaluationRun, dataset: String, totals summary: inout EvaluationSummary, summaryCell: MatryoshkaCell) throws {
        var table = summary
        defer { summary = table }
        var record = BEIREvaluationRecord(dataset: "", queries: 0, documents: 0, results: [])
        var events = EvaluationRun.Events()
        events.log = { message in if !json { FileHandle.standardError.write(Data((message + "\n").utf8)) } }
        events.started = { name, queries, documents in
            (record.dataset, record.queries, record.documents) = (name, queries, documents)
            guard !json else { return }
            print("\(name): \(queries) queries with judgments, \(documents) documents")
            print("chunk  situate  ranking     vectors  layer  dim   cal  nDCG@10  R@10    R@100   MRR@10  p50 ms")
        }
        let name = URL(fileURLWithPath: dataset).standardizedFileURL.lastPathComponent
        events.indexed = { table.record(dataset: name, chunkTokens: $0, situate: $1, format: $2, footprint: $3) }
        events.beirRow = { setting, format, result in
            let m = result.metrics
            if result.cell == summaryCell { table.record(dataset: name, setting: setting, format: format, score: m.ndcgAt10) }
            if json {
                record.results.append(BEIREvaluationRecord.Row(setting: setting, format: format, result: result))
            } else {
                print(Self.settingColumns(setting, format) + String(format: "%-6d %-5d ", result.cell.layer, result.cell.dim) + (result.calibrated ? "yes  " : "no   ")
                      + String(format: "%.4f   %.4f  %.4f  %.4f  %.1f", m.ndcgAt10, m.recallAt10, m.recallAt100, m.mrrAt10, result.p50Milliseconds))
            }
        }
        try run.runBEIR(dataset: dataset, events: events)
        if json {
            print(JSONOutput.line(record))
        }
    }

    /// Prints a span run as a table, or as one JSON object with --json.
    private func reportSpans(_ run: EvaluationRun, dataset: String, totals summary: inout EvaluationSummary, summaryCell: MatryoshkaCell) throws {
        var table = summary
        defer { summary = table }
        var record = SpanEvaluationRecord(dataset: dataset, queries: 0, results: [])
        let name = URL(fileURLWithPath: dataset).standardizedFileURL.lastPathComponent
        var events = EvaluationRun.Events()
        events.log = { message in if !json { FileHandle.standardError.write(Data((message + "\n").utf8)) } }
        events.started = { _, count, _ in
            record.queries = count
            if !json {
                print("\(name): \(count) questions")
                print("chunk  situate  ranking     vectors  layer  dim   cal  MRR@10  R@1    R@5    R@10   p50 ms")
            }
        }
        events.indexed = { table.record(dataset: name, chunkTokens: $0, situate: $1, format: $2, footprint: $3) }
        events.spanRow = { setting, format, cell, applied, m in
            if cell == summaryCell { table.record(dataset: name, setting: setting, format: format, score: m.mrrAt10) }
            if json {
                record.results.append(SpanEvaluationRecord.Row(setting: setting, format: format, cell: cell, calibrated: applied, metrics: m))
            } else {
                print(Self.settingColumns(setting, format) + String(format: "%-6d %-5d ", cell.layer, cell.dim) + (applied ? "yes  " : "no   ")
                      + String(format: "%.3f   %.3f  %.3f  %.3f  %.1f", m.mrrAt10, m.recallAt1, m.recallAt5, m.recallAt10, m.p50Milliseconds))
            }
        }
        try run.runSpans(dataset: dataset, events: events)
        if json {
            print(JSONOutput.line(record))
        }
    }

    /// The first columns of a row: chunk size, situating, ranking and vector format.
    private static func settingColumns(_ setting: EvaluationSetting, _ format: VectorFormat) -> String {
        String(setting.chunkTokens).padding(toLength: 7, withPad: " ", startingAt: 0)
            + setting.situate.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            + setting.ranking.padding(toLength: 12, withPad: " ", startingAt: 0)
            + format.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
    }

    /// The summary table: a row per configuration, a column per dataset (score and KB per
    /// document), and the mean.
    private func printSummary(_ summary: EvaluationSummary, cell: MatryoshkaCell) {
        print("")
        print("summary at layer \(cell.layer), dim \(cell.dim): " + summary.datasets.map { "\($0) \(summary.metrics[$0] ?? "")" }.joined(separator: ", ")
              + "; KB of database a document in parentheses; * best on the dataset")
        let width = max(16, (summary.datasets.map(\.count).max() ?? 0) + 1)
        print("chunk  situate  ranking     vectors  " + summary.datasets.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined() + "mean")
        for key in summary.keys {
            var line = Self.settingColumns(key.setting, key.format)
            for dataset in summary.datasets {
                guard let entry = summary.entry(key, dataset: dataset) else {
                    line += "—".padding(toLength: width, withPad: " ", startingAt: 0)
                    continue
                }
                let best = entry.score >= summary.bestScore(dataset: dataset) ? "*" : " "
                line += String(format: "%.4f%@ (%.1f)", entry.score, best, entry.bytesPerDocument / 1024).padding(toLength: width, withPad: " ", startingAt: 0)
            }
            print(line + String(format: "%.4f", summary.meanScore(key)))
        }
    }
}
