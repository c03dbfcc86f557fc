import SemsearchCore
import SemsearchEncoder
import Dispatch
import Foundation

/// Brings an index up to date with folders: crawl, skip unchanged files by (size, mtime) then
/// content hash (unless the index asks for a file to be read again, `StoredFileState.needsRereading`), extract and chunk what changed, embed every chunk once with every layer, and
/// store each batch of files in one transaction. Deleted files are removed first. Stopping at any
/// moment (Ctrl-C, kill -9) leaves the last committed batch, and the next run resumes from there.
public final class Indexer {
    public let store: any IndexStore
    public let model: EmbeddingModel
    public let options: IndexOptions
    public let settings: IndexSettings

    public init(store: any IndexStore, model: EmbeddingModel, options: IndexOptions) throws {
        self.store = store
        self.model = model
        self.options = options
        let encoded = options.encodeLayers.map { min(model.layerCount, max(1, $0)) }
        let depth = encoded ?? model.layerCount
        let layers = (options.layers ?? model.descriptor.defaultStoredLayers).filter { $0 <= depth }
        guard !layers.isEmpty else {
            throw IndexerError.nothingToStore(requested: options.layers ?? [], encoded: depth)
        }
        let requested = IndexSettings(
            model: model.descriptor.name, modelFingerprint: model.descriptor.fingerprint,
            layerCount: model.layerCount, hiddenSize: model.hiddenSize, layers: layers,
            chunkTokens: options.chunkTokens, overlap: options.overlap, situate: options.situate,
            encodedLayers: encoded == model.layerCount ? nil : encoded, precision: model.precision)
        let existingSettings = try store.settings()
        if let existing = existingSettings {
            guard existing.modelFingerprint == requested.modelFingerprint else {
                throw StoreError.modelMismatch(path: store.address, indexed: existing.model, requested: requested.model)
            }
            guard existing.layers == requested.layers, existing.chunkTokens == requested.chunkTokens,
                  existing.overlap == requested.overlap, existing.situate == requested.situate,
                  existing.encodedLayers == requested.encodedLayers,
                  existing.documentPrecision == requested.documentPrecision else {
                throw IndexerError.settingsChanged(path: store.address, existing: existing, requested: requested)
            }
            settings = existing
        } else {
            try store.saveSettings(requested)
            settings = requested
        }
        // The vector format is the one setting a later run may change: the vectors are converted.
        if let chosen = options.vectorFormat {
            try store.setMeta(.vectorFormat, chosen)
        } else if existingSettings == nil, try store.meta(.vectorFormat) == nil {
            try store.setMeta(.vectorFormat, VectorFormat.defaultFormat)
        }
    }

    /// Indexes `roots`. `shouldStop` is polled between batches; `progress` is called on this thread.
    public func index(roots: [String], shouldStop: () -> Bool = { false },
                      progress: (IndexProgress) -> Void = { _ in }) throws -> IndexSummary {
        var summary = IndexSummary()
        let start = ResourceUsage.now()
        if let missing = roots.first(where: { !FileManager.default.fileExists(atPath: $0) }) { throw IngestError.rootNotFound(missing) }
        let crawler = Crawler(maxFileSize: options.maxFileSize, excludedPaths: Set(store.companionPaths),
                              includeGenerated: options.includeGenerated)
        for root in roots {
            let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
            progress(IndexProgress(stage: .crawling, root: rootPath, filesTotal: 0, filesDone: 0, chunksDone: 0, tokensDone: 0, seconds: 0))
            let report = try crawler.crawl(root: rootPath)
            for (reason, count) in report.skipped { summary.skipped[reason.rawValue, default: 0] += count }
            summary.warnings += report.warnings
            summary.filesSeen += report.files.count

            let rootID = try store.rootID(for: rootPath)
            let stored = try store.fileStates(under: rootPath)
            var states = stored
            var candidates: [CrawledFile] = []
            for file in report.files {
                if let state = states.removeValue(forKey: file.path),
                   state.size == file.size, state.modificationTime == file.modificationTime, !state.needsRereading {
                    summary.unchanged += 1
                } else {
                    candidates.append(file)
                }
            }
            // What is left in `states` was not found again: deleted or now ignored.
            try store.deleteFiles(states.values.map(\.id))
            summary.removed += states.count

            try embed(candidates, stored: stored, rootID: rootID, rootPath: rootPath, summary: &summary, shouldStop: shouldStop, progress: progress)
            if summary.interrupted { break }
        }
        summary.vectorFormat = try store.vectorFormat()
        summary.coverage = try store.vocabularyCoverage()
        summary.vocabularyWarning = summary.coverage.warning(model: model.descriptor.name)
        try store.setMeta(.lastRun, Date())
        if !summary.interrupted {
            let finished = try IndexFinishing.run(store: store, calibrate: options.calibrate, principalAxes: options.principalAxes,
                                                  ivf: .update(options.ivf))
            summary.calibrated = finished.calibrated
            summary.compaction = finished.compaction
            summary.ivf = finished.ivf
        } else {
            summary.ivf = try store.ivfState()
            try store.checkpoint()
        }
        summary.seconds = ResourceUsage.now() - start
        return summary
    }

    /// Embeds and stores `candidates` batch by batch, in three stages per batch: read, chunk and
    /// tokenize files in parallel until the batch holds enough tokens (`prepareBatch`); encode
    /// every chunk (`encode`); store the batch in one transaction (`indexedFiles`, then the store).
    /// Once the index holds `earlyCompactionChunks` chunks, and again each time it doubles, the
    /// vector format's quantizers are fitted and the rows recoded, so later batches store codes.
    private func embed(_ candidates: [CrawledFile], stored states: [String: StoredFileState], rootID: Int64, rootPath: String, summary: inout IndexSummary,
                       shouldStop: () -> Bool, progress: (IndexProgress) -> Void) throws {
        let preparation = Preparation(extractor: Extractor(maxFileSize: options.maxFileSize),
                                      chunker: Chunker(tokenizer: model.tokenizer, budget: options.chunkTokens, overlap: options.overlap,
                                                       wholeDocumentTokens: Chunker.wholeDocumentTokens(budget: options.chunkTokens, tokenizer: model.tokenizer)),
                                      situated: SituatedInput(tokenizer: model.tokenizer, prompts: model.prompts, mode: settings.situate))
        let started = ResourceUsage.now()
        var done = 0, chunksDone = 0, tokensDone = 0
        var calibrationNeeded = settings.encodedLayers == nil ? 0 : max(0, options.calibrationSample - (try store.calibrationTargetCount()))
        let format = try store.vectorFormat(), deepest = settings.layers.max()!
        var storedChunks = try store.vectorCount(layer: deepest)
        var next = 0
        while next < candidates.count {
            if shouldStop() { summary.interrupted = true; return }
            let batch = prepareBatch(candidates, from: &next, preparation: preparation, states: states, summary: &summary)
            done = next
            try store.updateModificationTimes(batch.touched)

            // Early exit: the calibration sample runs every layer (its final vectors are the
            // adapters' targets); everything else stops at the encoded depth.
            let fullDepth = settings.encodedLayers != nil && calibrationNeeded > 0
            let embeddings = encode(batch.inputs, fullDepth: fullDepth)
            if fullDepth { calibrationNeeded -= batch.inputs.count }

            let files = indexedFiles(batch.files, embeddings: embeddings, keepTargets: fullDepth)
            for file in batch.files {
                if states[file.crawled.path] != nil { summary.updated += 1 } else { summary.added += 1 }
                chunksDone += file.chunks.count
                summary.chunks += file.chunks.count
            }
            var coverage = VocabularyCoverage()
            for input in batch.inputs { coverage.count(input.ids, tokenizer: model.tokenizer) }
            try store.store(files, rootID: rootID, layers: settings.layers)
            try store.addVocabularyCoverage(coverage)
            storedChunks += files.reduce(0) { $0 + $1.chunks.count }
            try VectorCompaction.compactIfDue(store: store, format: format, layers: settings.layers, width: settings.hiddenSize,
                                              chunks: storedChunks, firstFit: options.earlyCompactionChunks)

            let encoded = batch.inputs.reduce(0) { $0 + $1.ids.count }
            tokensDone += encoded
            summary.tokens += encoded
            progress(IndexProgress(stage: .embedding, root: rootPath, filesTotal: candidates.count, filesDone: done,
                                   chunksDone: chunksDone, tokensDone: tokensDone, seconds: ResourceUsage.now() - started))
        }
    }

    /// The tools that turn a file into encoder inputs.
    private struct Preparation {
        var extractor: Extractor
        var chunker: Chunker
        var situated: SituatedInput
    }

    /// One batch: the files to embed, their inputs in order, and unchanged files whose new mtime to record.
    private struct PreparedBatch {
        var files: [PreparedFile] = []
        var touched: [(id: Int64, modificationTime: Double)] = []
        var inputs: [(ids: [Int32], poolRange: Range<Int>?)] { files.flatMap(\.inputs) }
    }

    /// Reads, chunks and tokenizes candidates from `next` on, in parallel slices, until the batch
    /// holds `commitTokens` tokens. Files whose content hash did not change are only touched.
    private func prepareBatch(_ candidates: [CrawledFile], from next: inout Int, preparation: Preparation,
                              states: [String: StoredFileState], summary: inout IndexSummary) -> PreparedBatch {
        var batch = PreparedBatch()
        var tokens = 0
        while next < candidates.count, tokens < options.commitTokens {
            let slice = Array(candidates[next..<min(candidates.count, next + max(4, min(64, options.commitTokens / 256)))])
            next += slice.count
            for result in Self.prepare(slice, extractor: preparation.extractor, chunker: preparation.chunker,
                                       situated: preparation.situated, titles: options.titles) {
                switch result {
                case .failure(let error):
                    summary.skipped[Self.skipReason(error), default: 0] += 1
                    summary.warnings.append(error.description)
                case .success(let file):
                    if let state = states[file.crawled.path], state.hash == file.hash {
                        batch.touched.append((state.id, file.crawled.modificationTime))
                        summary.unchanged += 1
                    } else {
                        tokens += file.inputs.reduce(0) { $0 + $1.ids.count }
                        batch.files.append(file)
                    }
                }
            }
        }
        return batch
    }

    /// Every layer's pooled vector of each input, to the encoded depth (all layers when `fullDepth`).
    private func encode(_ inputs: [(ids: [Int32], poolRange: Range<Int>?)], fullDepth: Bool) -> [LayerEmbeddings] {
        model.encoder.encode(inputs.map(\.ids), poolRanges: inputs.map { $0.poolRange ?? 0..<$0.ids.count },
                             threads: options.threads,
                             depth: fullDepth ? model.layerCount : (settings.encodedLayers ?? model.layerCount))
    }

    /// The batch's files with the stored layers' vectors of their chunks (and the final layer's as
    /// calibration targets when `keepTargets`).
    private func indexedFiles(_ prepared: [PreparedFile], embeddings: [LayerEmbeddings], keepTargets: Bool) -> [IndexedFile] {
        var offset = 0
        return prepared.map { file in
            let slice = embeddings[offset..<(offset + file.chunks.count)]
            offset += file.chunks.count
            return IndexedFile(path: file.crawled.path, size: file.crawled.size, modificationTime: file.crawled.modificationTime,
                               hash: file.hash, kind: file.kind, chunks: file.chunks,
                               vectors: slice.map { embedding in settings.layers.map { Array(embedding.raw(layer: $0)) } },
                               calibrationTargets: keepTargets ? slice.map { Array($0.raw(layer: model.layerCount)) } : nil)
        }
    }

    /// A file read, chunked and tokenized, ready to embed.
    struct PreparedFile: Sendable {
        var crawled: CrawledFile
        var hash: String
        var kind: DocumentKind
        var chunks: [TextChunk]
        var inputs: [(ids: [Int32], poolRange: Range<Int>?)]
    }

    static func prepare(_ files: [CrawledFile], extractor: Extractor, chunker: Chunker,
                        situated: SituatedInput, titles: [String: String]) -> [Result<PreparedFile, IngestError>] {
        ParallelMap.map(count: files.count) { i -> Result<PreparedFile, IngestError> in
            let file = files[i]
            do {
                let document = try extractor.extract(path: file.path)
                let chunks = chunker.chunks(of: document.text, kind: document.kind, locations: document.locations)
                let title = titles[file.path].map { DocumentTitle($0) } ?? DocumentTitle.derived(path: file.path, text: document.text)
                let inputs = chunks.map { situated.input(chunk: $0, title: title) }
                return .success(PreparedFile(crawled: file, hash: document.hash, kind: document.kind, chunks: chunks, inputs: inputs))
            } catch let error as IngestError {
                return .failure(error)
            } catch {
                return .failure(.unreadable(path: file.path, reason: "\(error)"))
            }
        }
    }

    static func skipReason(_ error: IngestError) -> String {
        switch error {
        case .binary: return "binary"
        case .notText: return "not text"
        case .tooLarge: return CrawlSkip.tooLarge.rawValue
        case .extractorMissing: return "no extractor"
        case .unreadable, .rootNotFound, .extractionFailed: return CrawlSkip.unreadable.rawValue
        case .refusedDocument: return "refused"
        }
    }
}
