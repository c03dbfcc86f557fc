import Foundation

/// `semsearch index --watch`: keeps an index current. After the first run it waits for changes
/// under the roots (``FolderWatcher``), lets a burst settle (`debounce`), and runs the indexer
/// again — incremental, so only changed files are read and embedded. Folders created meanwhile
/// are watched after each run. When the kernel's watch limit is reached, it scans every
/// `scanInterval` seconds instead. A root that disappears has its files removed from the index;
/// its watch goes with it, so the watcher looks for it on every turn (half a second) and indexes
/// it again when it comes back.
///
/// It holds the `.watching` ``IndexLock`` for its life (readers show that a watcher runs) and
/// the `.indexing` lock during each run; a run that finds another process indexing waits for the
/// next round. Each run commits batch by batch, so stopping at any moment (Ctrl-C, kill -9) keeps
/// what was committed.
public final class IndexWatcher {
    /// What the watcher reports, on its own thread.
    public struct Events {
        /// Watching began: folders watched and whether all could be.
        public var watching: (_ folders: Int, _ coverage: FolderWatcher.Coverage) -> Void = { _, _ in }
        /// A run finished: what it did, prompted by which changed paths (empty for a timed scan).
        public var updated: (_ summary: IndexSummary, _ changed: [String]) -> Void = { _, _ in }
        /// A run was put off or failed (another indexer holds the lock; a root is unreadable).
        public var problem: (_ message: String) -> Void = { _ in }
        public init() {}
    }

    private let indexer: Indexer
    private let roots: [String]
    private let debounce: Double
    private let scanInterval: Double
    private let watchLimit: Int

    /// A watcher of `roots` for `indexer`'s index. `watchLimit` caps the folders watched (the
    /// kernel's limit applies anyway); past it, the watcher scans every `scanInterval` seconds.
    public init(indexer: Indexer, roots: [String], debounce: Double = 0.3, scanInterval: Double = 10, watchLimit: Int = .max) {
        self.watchLimit = watchLimit
        self.indexer = indexer
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.debounce = debounce
        self.scanInterval = scanInterval
    }

    /// Watches until `shouldStop` says so (polled every half second while waiting, and between
    /// batches during a run). The caller has made
    /// the first run. Throws only when watching cannot start at all.
    public func run(shouldStop: @escaping () -> Bool, events: Events) throws {
        let store = indexer.store
        let lock = try store.lock(for: .watching)
        defer { withExtendedLifetime(lock) {} }
        let folders = try FolderWatcher(roots: roots, ignoredPaths: Set(store.companionPaths), watchLimit: watchLimit)
        events.watching(folders.watchedFolders, folders.coverage)
        var lastScan = ResourceUsage.now()
        var pending = Set<String>()
        var missing = Set(roots.filter { !FileManager.default.fileExists(atPath: $0) })
        while !shouldStop() {
            if case .complete = folders.coverage {
                pending.formUnion(folders.changes(timeout: 0.5))
                // A root that went away lost its watch with it: nothing else would tell of its return.
                pending.formUnion(missing.filter { FileManager.default.fileExists(atPath: $0) })
                guard !pending.isEmpty else { continue }
                // Let a burst (a save, a checkout, an unpacked archive) settle, for two seconds at most.
                let burstStarted = ResourceUsage.now()
                while ResourceUsage.now() - burstStarted < 2, !shouldStop() {
                    let more = folders.changes(timeout: debounce)
                    if more.isEmpty { break }
                    pending.formUnion(more)
                }
            } else {
                Thread.sleep(forTimeInterval: 0.5)
                guard ResourceUsage.now() - lastScan >= scanInterval else { continue }
            }
            guard !shouldStop() else { break }
            if update(changed: pending.sorted(), shouldStop: shouldStop, events: events) {
                pending.removeAll()
            }
            missing = Set(roots.filter { !FileManager.default.fileExists(atPath: $0) })
            lastScan = ResourceUsage.now()
            folders.addFolders()
        }
    }

    /// One incremental run; false when it has to wait for another indexer.
    private func update(changed: [String], shouldStop: () -> Bool, events: Events) -> Bool {
        let lock: IndexLock
        do { lock = try indexer.store.lock(for: .indexingRoots(roots)) } catch {
            events.problem("\(error); trying again after the next change")
            return false
        }
        defer { withExtendedLifetime(lock) {} }
        do {
            let present = roots.filter { FileManager.default.fileExists(atPath: $0) }
            for gone in roots where !present.contains(gone) {
                let files = try indexer.store.fileStates(under: gone)
                if !files.isEmpty {
                    try indexer.store.deleteFiles(files.values.map(\.id))
                    events.problem("\(gone) is gone: its \(files.count) files left the index (it is indexed again if it comes back)")
                }
            }
            let summary = present.isEmpty ? IndexSummary() : try indexer.index(roots: present, shouldStop: shouldStop)
            events.updated(summary, changed)
        } catch {
            events.problem("\(error)")
        }
        return true
    }
}
