import ArgumentParser
import Dispatch
import Foundation
import SemsearchKit
import Synchronization

/// Set by the first Ctrl-C; the indexer stops after the batch in flight is committed.
let interruptRequested = Atomic<Bool>(false)

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index folders into the search database.",
        discussion: """
        Walks the folders (honouring .gitignore and .semsearchignore, skipping hidden, binary and \
        oversized files), cuts text into chunks, embeds each chunk once with every layer, and stores \
        it all in one SQLite file. Re-running is incremental. Ctrl-C stops after the current batch; \
        what was stored stays, and the next run goes on from there. With --watch it then keeps the \
        index current as files change, until Ctrl-C.
        """
    )

    @Argument(help: "Folders or files to index.")
    var paths: [String] = []

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Forget the given roots and everything indexed under them.")
    var remove = false

    @Option(help: ArgumentHelp("Tokens per chunk; a document of up to \(Chunker.shortDocumentTokens) tokens stays whole (default: as the index was made, else \(IndexOptions().chunkTokens)).", valueName: "N"))
    var chunkTokens: Int?

    @Option(help: ArgumentHelp("Tokens repeated between chunks cut inside a paragraph, at most half of --chunk-tokens (default: as the index was made, else \(IndexOptions().overlap)).", valueName: "N"))
    var overlap: Int?

    @Option(help: ArgumentHelp("How chunks see their document: none, header, late or mix (default: as the index was made, else \(SituateMode.defaultMode.rawValue)).", valueName: "MODE"))
    var situate: SituateMode?

    @Option(help: ArgumentHelp("Layers to store: all, or a list like 1,3,6 (default: as the index was made with the same model, else all of a model up to 12 layers deep, else four evenly spaced, e.g. 6,12,18,24).", valueName: "all|LIST"))
    var layers: ListArgument<PositiveInt>?

    @Option(help: ArgumentHelp("Early exit: run only the first K layers (after a calibration sample at full depth); about L/K times faster.", valueName: "K"))
    var encodeLayers: Int?

    @Option(help: "Chunks encoded at full depth to calibrate an --encode-layers index.")
    var calibrationSample = 500

    @Flag(inversion: .prefixedNo, help: "Rotate the final embedding onto its principal axes when calibrating (see 'semsearch calibrate').")
    var pca: Bool?

    @Option(help: ArgumentHelp("Skip files larger than this (bytes, or with K, M, G).", valueName: "SIZE"))
    var maxFileSize = ByteSize(argument: "10M")!

    @Flag(help: "Also index lock files (Cargo.lock, package-lock.json, go.sum…) and minified or source-map assets, which are skipped and counted by default.")
    var includeGenerated = false

    @Option(help: ArgumentHelp("IVF index: auto (about 4·√N lists above 20,000 chunks), off, or a list count (default: as last time, else auto).", valueName: "auto|off|NLIST"))
    var ivf: IVFSetting?

    @Option(help: ArgumentHelp("How vectors are stored: fp16, int8, int4, or compact (the default for a new index: int8 for the deepest layer; below it, what the next deeper layer does not predict, 8 bits a dim for the first 64 and 5 for the rest). Changing it converts the index in place without re-embedding; with no PATH only the conversion runs.", valueName: "FORMAT"))
    var vectors: VectorFormat?

    @Option(help: .hidden)
    var commitTokens = 32_768

    @Flag(help: "After indexing, keep the index current as files change (inotify), until Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("With --watch, seconds between scans when the folders cannot all be watched.", valueName: "S"))
    var scanInterval = 10.0

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Option(help: ArgumentHelp("Encoder precision for documents: fp32, or int8 (int8 weights, 8-bit activations per token or per block of 32 by layer: MiniLM about 2.0-2.25x, EmbeddingGemma 2.0-2.4x the speed on AVX-512 VNNI; cosine to fp32 about 0.9997). Remembered by the index; default: the index's, else fp32. Queries are embedded in fp32.", valueName: "P"))
    var precision: EncoderPrecision?

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        if paths.isEmpty && vectors == nil { throw ValidationError("give at least one folder or file to index") }
        if let chunkTokens, chunkTokens < 8 { throw ValidationError("--chunk-tokens must be at least 8") }
        if let overlap, overlap < 0 || overlap >= (chunkTokens ?? IndexOptions().chunkTokens) {
            throw ValidationError("--overlap must be between 0 and --chunk-tokens")
        }
        if calibrationSample < 16 { throw ValidationError("--calibration-sample must be at least 16") }
        if watch && remove { throw ValidationError("--watch and --remove exclude each other") }
        if !(scanInterval >= 1) { throw ValidationError("--scan-interval must be at least 1 second") }
    }

    func run() throws {
        let dbPath = database.path
        if !remove, let missing = paths.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            throw IngestError.rootNotFound(missing)
        }
        // Held for the first run; a watcher takes it again for each later run. A run over roots
        // locks those roots (in PostgreSQL, indexers of other roots go on beside it).
        let store = try IndexLocation.open(dbPath, create: !remove && !paths.isEmpty)
        let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var lock: IndexLock? = try store.lock(for: remove || paths.isEmpty ? .indexing : .indexingRoots(roots))
        defer { withExtendedLifetime(lock) {} }
        if paths.isEmpty, let vectors {
            try convert(store, to: vectors)
            return
        }
        if remove {
            for path in paths {
                let root = URL(fileURLWithPath: path).standardizedFileURL.path
                if try store.removeRoot(root) {
                    if !quiet { print("removed \(root) from \(store.address)") }
                } else {
                    throw CommandError.input("\(root) is not an indexed root (see 'semsearch status')")
                }
            }
            try store.checkpoint()
            return
        }
        // What the command line leaves out is what the index was made with, so a plain
        // `semsearch index` keeps updating an index made with other settings (or older defaults).
        let existing = try store.settings()
        let model = try modelOptions.load(precision: precision ?? existing?.documentPrecision ?? .fp32)
        var options = IndexOptions()
        options.chunkTokens = chunkTokens ?? existing?.chunkTokens ?? options.chunkTokens
        options.overlap = overlap ?? existing?.overlap ?? min(options.overlap, options.chunkTokens / 2)
        options.situate = situate ?? existing?.situate ?? options.situate
        options.maxFileSize = maxFileSize.bytes
        options.includeGenerated = includeGenerated
        options.threads = modelOptions.threadCount
        options.commitTokens = max(256, commitTokens)
        options.ivf = ivf
        options.vectorFormat = vectors
        if let layers = layers?.numbers(all: Array(1...model.layerCount)) {
            if let bad = layers.first(where: { $0 > model.layerCount }) {
                throw CommandError.usage("--layers: layer \(bad) is out of range: the model has layers 1…\(model.layerCount)")
            }
            options.layers = layers
        } else if let existing, existing.modelFingerprint == model.descriptor.fingerprint {
            options.layers = existing.layers
        }
        options.principalAxes = pca
        if let encodeLayers {
            guard (1...model.layerCount).contains(encodeLayers) else {
                throw CommandError.usage("--encode-layers \(encodeLayers) is out of range: the model has layers 1…\(model.layerCount)")
            }
            options.encodeLayers = encodeLayers
            options.calibrationSample = calibrationSample
        } else if let encoded = existing?.encodedLayers {
            options.encodeLayers = encoded
            options.calibrationSample = calibrationSample
        }
        let indexer = try Indexer(store: store, model: model, options: options)

        let signals = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signal(SIGINT, SIG_IGN)
        signals.setEventHandler {
            if interruptRequested.exchange(true, ordering: .relaxed) { _exit(130) }
            FileHandle.standardError.write(Data("\nsemsearch: stopping after the current batch (Ctrl-C again to quit now)\n".utf8))
        }
        signals.resume()

        let reporter = ProgressReporter(quiet: quiet)
        let summary = try indexer.index(roots: paths, shouldStop: { interruptRequested.load(ordering: .relaxed) },
                                        progress: reporter.report)
        reporter.finish(summary, database: store.address)
        if summary.interrupted { Foundation.exit(130) }
        guard watch else { return }
        lock = nil
        try keepCurrent(indexer)
    }

    /// `--vectors FORMAT` with no paths: convert the stored vectors, re-embedding nothing.
    private func convert(_ store: any IndexStore, to format: VectorFormat) throws {
        let before = try store.vectorBytes().perChunk
        let started = ResourceUsage.now()
        let summary = try VectorCompaction.convert(store: store, to: format)
        try store.checkpoint()
        if !quiet {
            print(String(format: "vectors: %@, %.0f → %.0f bytes a chunk (%d layers rewritten) in %.1f s; database %.1f MB",
                         format.rawValue, before, try store.vectorBytes().perChunk, summary.rewrittenLayers.count,
                         ResourceUsage.now() - started, Double(try store.statistics().databaseBytes) / 1_048_576))
        }
    }

    /// `--watch`: re-index what changes until Ctrl-C, one line per run.
    private func keepCurrent(_ indexer: Indexer) throws {
        let say = { (line: String) in FileHandle.standardError.write(Data("semsearch: \(line)\n".utf8)) }
        var events = IndexWatcher.Events()
        events.watching = { folders, coverage in
            switch coverage {
            case .complete: say("watching \(folders) folders (Ctrl-C to stop)")
            case .limitReached(let watched):
                say("the system's limit on watched folders was reached after \(watched); scanning every \(Int(scanInterval)) s instead. "
                    + "Raise it with: sudo sysctl \(FolderWatcher.limitSetting)=524288")
            }
        }
        events.updated = { summary, changed in
            let time = Date().formatted(date: .omitted, time: .standard)
            let cause = changed.count == 1 ? " (\(changed[0]))" : changed.isEmpty ? "" : " (\(changed.count) paths)"
            guard !quiet || summary.interrupted else { return }
            say("\(time) updated\(cause): \(summary.added) new, \(summary.updated) changed, \(summary.removed) removed, "
                + "\(summary.chunks) chunks in \(String(format: "%.1f", summary.seconds)) s")
        }
        events.problem = { message in say(message) }
        try IndexWatcher(indexer: indexer, roots: paths, scanInterval: scanInterval)
            .run(shouldStop: { interruptRequested.load(ordering: .relaxed) }, events: events)
        if !quiet { say("stopped watching") }
    }
}
