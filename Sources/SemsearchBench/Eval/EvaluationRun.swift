import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// What `semsearch eval` does, without its output: for each chunk size and situating mode, index
/// the dataset's documents, fit layer adapters when the calibrated grid is wanted, and measure
/// every cell with and without BM25 as asked. The command only formats what this reports through
/// its callbacks.
///
/// ## Topics
/// - ``runBEIR(dataset:events:)``
/// - ``runSpans(dataset:events:)``
public struct EvaluationRun {
    /// Embeds the documents (at its precision).
    public var model: EmbeddingModel
    /// Embeds the queries, as a search does: in fp32 (nil: `model`, when that is fp32 already).
    public var queryModel: EmbeddingModel?
    /// Situating modes to compare, one index each.
    public var modes: [SituateMode]
    public var cells: [MatryoshkaCell]
    /// Layers the evaluation indexes store (the grid's, plus the last when calibrating).
    public var layers: [Int]
    /// Chunk sizes to compare (content tokens), one index each.
    public var chunkSizes = [IndexOptions().chunkTokens]
    public var overlap = IndexOptions().overlap
    /// Rankings to compare on every index: false ranks by vectors alone, true fuses BM25.
    public var rankings = [SearchOptions().hybrid]
    /// BM25 weights to compare for the hybrid ranking.
    public var keywordWeights = [SearchOptions().keywordWeight]
    /// Early exit: encode only the first K layers (after a calibration sample at full depth).
    public var encodeLayers: Int?
    public var calibrationSample = 500
    /// The grids to report: calibrated (true), raw (false), or both.
    public var calibrations: [Bool] = [true]
    public var principalAxes = false
    public var mixBeta: Float = 0.2
    public var threads = 2
    /// Keep the BEIR index here (and its documents beside it) to reuse it; nil: a scratch folder.
    public var database: String?
    /// Vector formats to compare: the index is built once in fp16 and converted to each (nil:
    /// the default format only).
    public var formats: [VectorFormat]?

    public init(model: EmbeddingModel, modes: [SituateMode], cells: [MatryoshkaCell], layers: [Int]) {
        self.model = model
        self.modes = modes
        self.cells = cells
        self.layers = layers
    }

    /// What a run reports as it goes.
    public struct Events {
        /// Progress for people (documents written, chunks indexed, adapters fitted).
        public var log: (String) -> Void = { _ in }
        /// The dataset's name, judged queries and documents, before any row.
        public var started: (_ name: String, _ queries: Int, _ documents: Int) -> Void = { _, _, _ in }
        /// One evaluation index built: its chunk size and situating mode, vector format, and cost.
        public var indexed: (_ chunkTokens: Int, SituateMode, VectorFormat, IndexFootprint) -> Void = { _, _, _, _ in }
        /// One measured cell of a BEIR dataset, with the vector format it was measured in.
        public var beirRow: (EvaluationSetting, VectorFormat, GridResult) -> Void = { _, _, _ in }
        /// One measured cell of a span dataset, its vector format, and whether an adapter was applied.
        public var spanRow: (EvaluationSetting, VectorFormat, MatryoshkaCell, Bool, SpanMetrics) -> Void = { _, _, _, _, _ in }

        public init() {}
    }

    /// The index settings of one evaluation index.
    func indexOptions(_ mode: SituateMode, chunkTokens: Int) -> IndexOptions {
        var options = IndexOptions()
        options.situate = mode
        options.chunkTokens = chunkTokens
        options.overlap = min(overlap, chunkTokens / 2)
        // The last layer is the calibration target, so it is stored even when the grid leaves it out.
        options.layers = calibrations.contains(true) ? Array(Set(layers + [model.layerCount])).sorted() : layers
        options.threads = threads
        options.ivf = .off
        // Several formats: build in fp16 once, convert copies (see `variants`).
        options.vectorFormat = formats.map { $0.count == 1 ? $0[0] : .fp16 } ?? VectorFormat.defaultFormat
        if let encodeLayers {
            options.encodeLayers = encodeLayers
            options.calibrationSample = calibrationSample
        }
        return options
    }

    /// Every (chunk size, situating mode) pair, one evaluation index each, and its file name.
    private var indexes: [(chunkTokens: Int, mode: SituateMode, name: String)] {
        chunkSizes.flatMap { size in modes.map { (size, $0, chunkSizes.count > 1 ? "\(size)-\($0.rawValue)" : $0.rawValue) } }
    }

    /// Evaluates a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).
    public func runBEIR(dataset: String, events: Events) throws {
        let data = try BEIRDataset.load(dataset)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Beside a --db file; for a PostgreSQL --db, a folder named after the dataset, so a second
        // evaluation into the same schema finds the same root and its files unchanged.
        let documents = database.map {
            PostgresAddress.isPostgresURL($0)
                ? FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(data.name).documents").path
                : $0 + ".documents"
        } ?? scratch + "/documents"
        events.log("semsearch: writing \(data.corpus.texts.count) documents to \(documents)")
        let titles = try BEIREvaluation.writeDocuments(data.corpus, to: documents)
        events.started(data.name, data.queries.count, data.corpus.texts.count)
        let plan = indexes
        for (chunkTokens, mode, name) in plan {
            let path = plan.count > 1 || database == nil
                ? (database.map { $0 + ".\(name)" } ?? scratch + "/\(name).sqlite") : database!
            let store = try IndexLocation.open(path, create: true)
            var options = indexOptions(mode, chunkTokens: chunkTokens)
            options.titles = titles
            let lock = try store.lock(for: .indexingRoots([documents]))
            let summary = try withExtendedLifetime(lock) {
                try Indexer(store: store, model: model, options: options).index(roots: [documents])
            }
            if summary.chunks > 0 {
                events.log(String(format: "semsearch: indexed %d chunks (%d tokens, %@) in %.1f s", summary.chunks, chunkTokens, mode.rawValue, summary.seconds))
            }
            for (format, variant) in try variants(of: store, scratch: scratch + "/\(name)", events: events) {
                events.indexed(chunkTokens, mode, format, try footprint(of: variant, documents: data.corpus.texts.count))
                let searcher = try calibratedSearcher(store: variant, mode: mode, events: events)
                for setting in settings(chunkTokens: chunkTokens, mode: mode) {
                    for calibrated in calibrations {
                        for result in try BEIREvaluation.run(searcher: searcher, store: variant, dataset: data, documents: documents, cells: cells,
                                                             hybrid: setting.hybrid, keywordWeight: setting.keywordWeight, calibrated: calibrated) {
                            // The raw grid repeats only the cells an adapter changed.
                            if !calibrated, calibrations.count > 1, !searcher.appliesAdapter(at: result.cell) { continue }
                            events.beirRow(setting, format, result)
                        }
                    }
                }
            }
        }
    }

    /// The rankings measured on one index: vector alone, and hybrid at each BM25 weight, as asked.
    private func settings(chunkTokens: Int, mode: SituateMode) -> [EvaluationSetting] {
        rankings.flatMap { hybrid in
            (hybrid ? keywordWeights : [.fixed(0)]).map { EvaluationSetting(chunkTokens: chunkTokens, situate: mode, hybrid: hybrid, keywordWeight: $0) }
        }
    }

    /// The chunks and database bytes of an evaluation index of `documents` documents.
    private func footprint(of store: any IndexStore, documents: Int) throws -> IndexFootprint {
        IndexFootprint(documents: documents, chunks: try store.statistics().chunks, databaseBytes: try store.usedBytes())
    }

    /// The index in each format to measure: itself when one format is asked for, else a converted
    /// copy per format (fp16 being the index as built), keeping the adapters fitted on its vectors.
    private func variants(of store: any IndexStore, scratch: String, events: Events) throws -> [(VectorFormat, any IndexStore)] {
        guard let formats, formats.count > 1 else {
            return [(try store.vectorFormat(), store)]
        }
        guard let store = store as? SQLiteIndexStore else {
            throw StoreError.failure(path: store.address, reason: "comparing vector formats copies the index file: evaluate them with a SQLite --db")
        }
        return try formats.map { format in
            guard format != .fp16 else { return (format, store) }
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let copy = scratch + "/\(format.rawValue).sqlite"
            try? FileManager.default.removeItem(atPath: copy)
            try store.checkpoint()
            try FileManager.default.copyItem(atPath: store.path, toPath: copy)
            let converted = try SQLiteIndexStore(path: copy, create: false)
            try VectorCompaction.convert(store: converted, to: format)
            events.log(String(format: "semsearch: converted to %@: %.0f bytes of vectors a chunk", format.rawValue,
                              try converted.vectorBytes().perChunk))
            return (format, converted)
        }
    }

    /// Evaluates a span dataset (`docs/` and `questions.jsonl`).
    public func runSpans(dataset: String, events: Events) throws {
        let docs = (dataset as NSString).appendingPathComponent("docs")
        let questions = try SpanEvaluation.questions(dataset: dataset)
        guard FileManager.default.fileExists(atPath: docs) else { throw CorpusError.notFound(docs) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-eval-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        events.started(dataset, questions.count, 0)
        for (chunkTokens, mode, name) in indexes {
            let store = try SQLiteIndexStore(path: scratch.appendingPathComponent("\(name).sqlite").path, create: true)
            _ = try Indexer(store: store, model: model, options: indexOptions(mode, chunkTokens: chunkTokens)).index(roots: [docs])
            for (format, variant) in try variants(of: store, scratch: scratch.appendingPathComponent(name).path, events: events) {
                events.indexed(chunkTokens, mode, format, try footprint(of: variant, documents: variant.statistics().files))
                let searcher = try calibratedSearcher(store: variant, mode: mode, events: events)
                let embeddings = try questions.map { try searcher.embed($0.question) }
                for setting in settings(chunkTokens: chunkTokens, mode: mode) {
                    for calibrated in calibrations {
                        for cell in cells {
                            if !calibrated, calibrations.count > 1, !searcher.appliesAdapter(at: cell) { continue }
                            let metrics = try SpanEvaluation.run(searcher: searcher, questions: questions, embeddings: embeddings,
                                                                 docsRoot: docs, cell: cell, calibrated: calibrated,
                                                                 hybrid: setting.hybrid, keywordWeight: setting.keywordWeight)
                            events.spanRow(setting, format, cell, searcher.appliesAdapter(at: cell, calibrated: calibrated), metrics)
                        }
                    }
                }
            }
        }
    }

    /// A searcher over a fresh evaluation index, with adapters fitted when the calibrated grid is wanted.
    private func calibratedSearcher(store: any IndexStore, mode: SituateMode, events: Events) throws -> Searcher {
        if calibrations.contains(true) {
            let started = ResourceUsage.now()
            let adapters = try LayerCalibration.refitIfNeeded(store: store, principalAxes: principalAxes)
            if let adapters, !adapters.isEmpty {
                events.log(String(format: "semsearch: calibrated layers %@ in %.2f s",
                                  adapters.map { String($0.layer) }.joined(separator: ","), ResourceUsage.now() - started))
            }
        }
        return try Searcher(store: store, model: queryModel ?? model, mixBeta: mode == .mix ? mixBeta : 0)
    }
}
