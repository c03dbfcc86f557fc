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
        if beir {
            try runBEIR(model: model, modes: modes, cells: cells, layers: layerList)
        } else {
            if hybrid { throw CommandError.usage("--hybrid applies to BEIR datasets") }
            try runSpans(model: model, modes: modes, cells: cells, layers: layerList)
        }
    }

    /// The grids to report: calibrated (adapters applied), raw, or both.
    private var calibrations: [Bool] { compareRaw ? [true, false] : [!raw] }

    private func indexOptions(_ mode: SituateMode, layers: [Int], model: EmbeddingModel) -> IndexOptions {
        var options = IndexOptions()
        options.situate = mode
        options.chunkTokens = chunkTokens
        options.overlap = overlap
        // The last layer is the calibration target, so it is stored even when the grid leaves it out.
        options.layers = calibrations.contains(true) ? Array(Set(layers + [model.layerCount])).sorted() : layers
        options.threads = modelOptions.threadCount
        options.ivf = .off
        if let encodeLayers {
            options.encodeLayers = encodeLayers
            options.calibrationSample = calibrationSample
        }
        return options
    }

    // MARK: - BEIR

    private func runBEIR(model: EmbeddingModel, modes: [SituateMode], cells: [MatryoshkaCell], layers: [Int]) throws {
        let data = try BEIRDataset.load(dataset)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let documents = db.map { $0 + ".documents" } ?? scratch + "/documents"
        if !json { FileHandle.standardError.write(Data("semsearch: writing \(data.corpus.texts.count) documents to \(documents)\n".utf8)) }
        let titles = try BEIREvaluation.writeDocuments(data.corpus, to: documents)
        var rows: [String] = []
        if !json {
            print("\(data.name): \(data.queries.count) queries with judgments, \(data.corpus.texts.count) documents, \(chunkTokens)-token chunks\(hybrid ? ", hybrid" : "")")
            print("situate  layer  dim   cal  nDCG@10  R@10    R@100   MRR@10  p50 ms")
        }
        for mode in modes {
            let path = modes.count > 1 || db == nil ? (db.map { $0 + ".\(mode.rawValue)" } ?? scratch + "/\(mode.rawValue).sqlite") : db!
            let store = try IndexStore(path: path, create: true)
            var options = indexOptions(mode, layers: layers, model: model)
            options.titles = titles
            let lock = try IndexLock(databasePath: path)
            let summary = try withExtendedLifetime(lock) {
                try Indexer(store: store, model: model, options: options).index(roots: [documents])
            }
            if !json, summary.chunks > 0 {
                FileHandle.standardError.write(Data(String(format: "semsearch: indexed %d chunks (%@) in %.1f s\n", summary.chunks, mode.rawValue, summary.seconds).utf8))
            }
            let searcher = try calibratedSearcher(store: store, model: model, beta: mode == .mix ? mixBeta : 0)
            for calibrated in calibrations {
                for result in try BEIREvaluation.run(searcher: searcher, dataset: data, documents: documents, cells: cells,
                                                     hybrid: hybrid, calibrated: calibrated) {
                    // The raw grid repeats only the cells an adapter changed.
                    if !calibrated, calibrations.count > 1, !searcher.appliesAdapter(at: result.cell) { continue }
                    let m = result.metrics
                    if json {
                        rows.append("{\"situate\":\"\(mode.rawValue)\",\"layer\":\(result.cell.layer),\"dim\":\(result.cell.dim),\"calibrated\":\(result.calibrated),\"ndcg@10\":\(Self.round(m.ndcgAt10)),\"recall@10\":\(Self.round(m.recallAt10)),\"recall@100\":\(Self.round(m.recallAt100)),\"mrr@10\":\(Self.round(m.mrrAt10)),\"p50_ms\":\(Self.round(result.p50Milliseconds, places: 2)),\"hybrid\":\(hybrid),\"chunk_tokens\":\(chunkTokens)}")
                    } else {
                        print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                              + String(format: "%-6d %-5d ", result.cell.layer, result.cell.dim) + (result.calibrated ? "yes  " : "no   ")
                              + String(format: "%.4f   %.4f  %.4f  %.4f  %.1f", m.ndcgAt10, m.recallAt10, m.recallAt100, m.mrrAt10, result.p50Milliseconds))
                    }
                }
            }
        }
        if json {
            print("{\"dataset\":\(JSONText.string(data.name)),\"queries\":\(data.queries.count),\"documents\":\(data.corpus.texts.count),\"results\":[\(rows.joined(separator: ","))]}")
        }
    }

    /// A searcher over a fresh evaluation index, with adapters fitted when the calibrated grid is wanted.
    private func calibratedSearcher(store: IndexStore, model: EmbeddingModel, beta: Float) throws -> Searcher {
        if calibrations.contains(true) {
            let started = ResourceUsage.now()
            let adapters = try LayerCalibration.refitIfNeeded(store: store, principalAxes: pca)
            if let adapters, !json, !adapters.isEmpty {
                FileHandle.standardError.write(Data(String(format: "semsearch: calibrated layers %@ in %.2f s\n",
                    adapters.map { String($0.layer) }.joined(separator: ","), ResourceUsage.now() - started).utf8))
            }
        }
        return try Searcher(store: store, model: model, mixBeta: beta)
    }

    static func round(_ x: Double, places: Int = 4) -> String {
        let scale = pow(10, Double(places))
        return JSONText.number((x * scale).rounded() / scale)
    }

    // MARK: - Spans

    private func runSpans(model: EmbeddingModel, modes: [SituateMode], cells: [MatryoshkaCell], layers: [Int]) throws {
        let docs = (dataset as NSString).appendingPathComponent("docs")
        let questions = try SpanEvaluation.questions(dataset: dataset)
        guard FileManager.default.fileExists(atPath: docs) else { throw CorpusError.notFound(docs) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var rows: [String] = []
        if !json { print("situate  layer  dim   cal  MRR@10  R@1    R@5    R@10   p50 ms   (\(questions.count) questions, \(chunkTokens)-token chunks)") }
        for mode in modes {
            let store = try IndexStore(path: scratch.appendingPathComponent("\(mode.rawValue).sqlite").path, create: true)
            _ = try Indexer(store: store, model: model, options: indexOptions(mode, layers: layers, model: model)).index(roots: [docs])
            let searcher = try calibratedSearcher(store: store, model: model, beta: mode == .mix ? mixBeta : 0)
            for calibrated in calibrations {
              for cell in cells {
                let applied = searcher.appliesAdapter(at: cell, calibrated: calibrated)
                if !calibrated, calibrations.count > 1, !searcher.appliesAdapter(at: cell) { continue }
                let m = try SpanEvaluation.run(searcher: searcher, questions: questions, docsRoot: docs, cell: cell, calibrated: calibrated)
                if json {
                    rows.append("{\"situate\":\"\(mode.rawValue)\",\"layer\":\(cell.layer),\"dim\":\(cell.dim),\"calibrated\":\(applied),\"mrr@10\":\(Self.round(m.mrrAt10)),\"recall@1\":\(Self.round(m.recallAt1)),\"recall@5\":\(Self.round(m.recallAt5)),\"recall@10\":\(Self.round(m.recallAt10)),\"p50_ms\":\(Self.round(m.p50Milliseconds, places: 2))}")
                } else {
                    print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                          + String(format: "%-6d %-5d ", cell.layer, cell.dim) + (applied ? "yes  " : "no   ")
                          + String(format: "%.3f   %.3f  %.3f  %.3f  %.1f", m.mrrAt10, m.recallAt1, m.recallAt5, m.recallAt10, m.p50Milliseconds))
                }
              }
            }
        }
        if json {
            print("{\"dataset\":\(JSONText.string(dataset)),\"queries\":\(questions.count),\"chunk_tokens\":\(chunkTokens),\"results\":[\(rows.joined(separator: ","))]}")
        }
    }
}
