import Foundation
import SemsearchCore
import SemsearchEncoder

/// What indexing, search, status, watching and MCP need from an index, whatever keeps it: files and
/// their states, chunks, each stored layer's vectors in the index's format, keyword search, the
/// IVF lists, layer adapters, vector quantizers, typed settings and meta, run bookkeeping and
/// change notification. ``SQLiteIndexStore`` (one SQLite file) and ``PostgresIndexStore`` (a schema
/// in a PostgreSQL database with pgvector) implement it; the layers above it (``Indexer``, ``Searcher``, ``IVFIndex``, ``LayerCalibration``,
/// ``VectorCompaction``, ``IndexStatus``) hold an `any IndexStore` and never see SQL.
///
/// Every write is atomic: a batch of files, a rewrite of a format, an adapter or IVF refit is
/// either all there or not at all, so a killed run leaves the last committed state.
public protocol IndexStore: AnyObject, Sendable {
    /// Where the index lives, as shown to the user (a path, or a URL without its password).
    var address: String { get }
    /// The index's file when it is one file (SQLite), which a long-lived reader watches for being
    /// replaced; nil for a server.
    var databaseFile: String? { get }

    // MARK: Settings and meta

    /// The settings the index was built with; nil for a new index. Settings that cannot be decoded
    /// throw ``StoreError/unreadableSettings(path:reason:)`` rather than pass for a new index.
    func settings() throws -> IndexSettings?
    func saveSettings(_ settings: IndexSettings) throws
    /// One remembered value (``IndexMetaKey``); nil when never set or unreadable as its type.
    func meta<Value>(_ key: IndexMetaKey<Value>) throws -> Value?
    func setMeta<Value>(_ key: IndexMetaKey<Value>, _ value: Value) throws

    // MARK: Roots and files

    /// The id of root `path`, added when new.
    func rootID(for path: String) throws -> Int64
    /// Indexed roots, in the order they were added.
    func roots() throws -> [(id: Int64, path: String)]
    /// Forgets root `path` and everything indexed under it; returns whether it was indexed.
    @discardableResult func removeRoot(_ path: String) throws -> Bool
    /// What the index holds of each file inside the folder `rootPath`, by path, whichever root
    /// reached it.
    func fileStates(under rootPath: String) throws -> [String: StoredFileState]
    /// Every indexed file's id and path, by id.
    func filePaths() throws -> [(id: Int64, path: String)]
    /// Replaces each file's chunks and vectors (and calibration targets), all in one transaction.
    func store(_ files: [IndexedFile], rootID: Int64, layers: [Int]) throws
    /// Records new modification times of files whose content did not change.
    func updateModificationTimes(_ updates: [(id: Int64, modificationTime: Double)]) throws
    /// Deletes files (with their chunks and vectors) by id.
    func deleteFiles(_ ids: [Int64]) throws
    /// Counts and bytes, for status.
    func statistics() throws -> IndexStatistics
    /// Adds one run's tokenizer coverage to the index's running totals.
    func addVocabularyCoverage(_ coverage: VocabularyCoverage) throws
    func vocabularyCoverage() throws -> VocabularyCoverage

    // MARK: Chunks and vectors

    /// Chunks by id, with their file's path.
    func chunks(ids: [Int64]) throws -> [Int64: ChunkRecord]
    /// Ids of the chunks of `files`.
    func chunkIDs(inFiles files: Set<Int64>) throws -> Set<Int64>
    /// Ids of every chunk with a vector at `layer`, ascending.
    func chunkIDs(layer: Int) throws -> [Int64]
    /// Number of chunks with a vector at `layer`.
    func vectorCount(layer: Int) throws -> Int
    /// Every stored chunk's vector at `layer`, cut to `dim` and L2-normalized, in chunk id order.
    func vectors(layer: Int, dim: Int) throws -> StoredVectors
    /// The vectors of `chunkIDs` at `layer`, normalized at `dim` (chunks without one are left out).
    func vectors(layer: Int, dim: Int, chunkIDs: [Int64]) throws -> StoredVectors
    /// Average stored bytes of a chunk's vectors (all layers) and of each layer.
    func vectorBytes() throws -> (perChunk: Double, perLayer: [Int: Double])
    /// Every `stride`-th chunk's vectors of `layers`, decoded at full width, not normalized (the
    /// values a quantizer encodes), row-major per layer and aligned by chunk.
    func layerSample(layers: [Int], width: Int, stride: Int) throws -> [Int: [Float]]
    /// Re-encodes the vectors of `layers` under `quantizers` and makes them the layers' own, in one
    /// transaction; with `onlyUnencoded`, only chunks still stored in fp16. Returns chunks recoded.
    @discardableResult
    func recodeVectors(layers: [Int], width: Int, to quantizers: LayerQuantizers, onlyUnencoded: Bool) throws -> Int

    // MARK: Quantizers, adapters, calibration

    /// The quantizer of every layer that has one (layer 0: the IVF lists').
    func vectorQuantizers() throws -> [Int: VectorQuantizer]
    /// The quantizers of the stored layers, with their prediction chains.
    func layerQuantizers() throws -> LayerQuantizers
    /// The stored layer adapters, by layer.
    func adapters() throws -> [Int: LayerAdapter]
    /// The adapter of one layer, if it has one.
    func adapter(layer: Int) throws -> LayerAdapter?
    /// Layers that have an adapter, and the chunk count they were fitted on, without their weights.
    func adapterSummary() throws -> (layers: Set<Int>, fittedOn: Int?)
    /// Replaces every adapter with `adapters`, in one transaction.
    func replaceAdapters(_ adapters: [LayerAdapter]) throws
    /// Final-layer vectors (normalized at `dim`) of the chunks in the calibration sample.
    func calibrationTargets(dim: Int) throws -> StoredVectors
    func calibrationTargetCount() throws -> Int

    // MARK: Keyword search

    /// Chunks matching the query's words, best first, with their BM25 scores (higher is better);
    /// words in more than `commonWordChunks` chunks are left out. `allowedFiles` restricts files.
    func scoredKeywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>?,
                             commonWordChunks: Int) throws -> (ids: [Int64], scores: [Double])

    // MARK: The server's nearest-neighbour index

    /// The cell the store searches itself (a database server's search), or nil when it has none.
    func nearestNeighborCell() throws -> MatryoshkaCell?
    /// The store's own IVF index of that cell (lists and what they were built on), or nil while
    /// it scans every vector.
    func nearestNeighborIndex() throws -> IVFState?
    /// The `k` chunks nearest `query` at ``nearestNeighborCell()`` by the store's own search, best
    /// first, with their cosine; `allowedFiles` restricts files; `probes` the IVF lists probed (nil:
    /// the store's default). With `exact`, every vector it holds is scored: what its recall is
    /// measured against.
    func nearestNeighbors(_ query: [Float], k: Int, allowedFiles: Set<Int64>?, probes: Int?, exact: Bool) throws -> [SearchHit]
    /// How ``nearestNeighbors(_:k:allowedFiles:probes:exact:)`` searches, in words
    /// (`ivfflat probes 32/1000`, `exact scan`).
    func nearestNeighborMethod(probes: Int?) -> String
    /// Brings the store's own index in line with `setting` after a run (built past a size,
    /// rebuilt as the collection doubles, dropped by `off`), without blocking searches; returns it.
    @discardableResult func updateNearestNeighborIndex(_ setting: IVFSetting) throws -> IVFState?

    // MARK: IVF lists

    /// Whether the store keeps IVF lists (a store with its own nearest-neighbour index keeps none).
    var keepsIVFLists: Bool { get }

    func ivfState() throws -> IVFState?
    /// Replaces the IVF index (state, centroids and every list entry) in one transaction.
    func replaceIVF(_ state: IVFState, centroids: [Float], entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)],
                    quantizer: VectorQuantizer?) throws
    func addIVFEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)]) throws
    /// Re-encodes the lists' copies of their vectors for `format`; returns the entries rewritten.
    @discardableResult func rewriteIVFEntries(for format: VectorFormat) throws -> Int
    func dropIVF() throws
    func ivfCentroids(_ state: IVFState) throws -> [Float]
    /// Every entry of `lists` scored against `query` (dot product at the index's dim).
    func ivfListScores(_ lists: [Int], query: [Float]) throws -> (ids: [Int64], scores: [Float])
    /// Vectors at (layer, dim) of chunks not in any list yet.
    func vectorsMissingFromIVF(layer: Int, dim: Int) throws -> StoredVectors

    // MARK: Copying

    /// Up to `limit` files with ids above `after`, in id order, as stored (``StoredFile``).
    func storedFiles(after: Int64, limit: Int) throws -> [StoredFile]
    /// Adds files another index stored, bytes as they are, in one transaction; the index's settings
    /// and quantizers must be the ones they were stored under (``IndexCopy`` sees to it).
    func insertStoredFiles(_ files: [StoredFile]) throws
    /// Replaces every vector quantizer (layer 0: the IVF lists') with `quantizers`, rows untouched.
    func replaceQuantizers(_ quantizers: [Int: VectorQuantizer]) throws
    /// Runs `body`, which stores many files into an index nobody searches yet (a copy, a synthetic
    /// build); a store may build its search structures once after it instead of row by row.
    func bulkLoad<T>(_ body: () throws -> T) throws -> T

    // MARK: Runs, changes, space

    /// Takes the index's lock for `purpose` for as long as the returned lock lives, or throws
    /// ``StoreError/locked(path:holder:)`` naming who holds it.
    func lock(for purpose: IndexLock.Purpose) throws -> IndexLock
    /// The process holding the lock for `purpose`, or nil when none does.
    func lockHolder(for purpose: IndexLock.Purpose) -> Int32?
    /// Runs `body` (the end-of-run steps: calibration, compaction, IVF) with no other writer's
    /// end-of-run steps or stored batches in between; a store with one writer at a time runs it.
    func withMaintenance<T>(_ body: () throws -> T) throws -> T
    /// A number that changes whenever another connection commits, so a long-lived reader can tell
    /// its caches are old.
    func changeToken() throws -> Int
    /// Paths beside the index that belong to it, which crawling and watching leave alone.
    var companionPaths: [String] { get }
    /// Gives back space that rewriting vectors left free, when a rewrite asked for it; returns
    /// whether it did.
    @discardableResult func vacuumIfPending() throws -> Bool
    /// Makes the index self-contained on disk after a run.
    func checkpoint() throws
    /// Bytes the index would weigh with its free space given back.
    func usedBytes() throws -> Int
}

extension IndexStore {
    /// ``nearestNeighbors(_:k:allowedFiles:probes:exact:)`` through the store's index, default probes.
    public func nearestNeighbors(_ query: [Float], k: Int, allowedFiles: Set<Int64>?) throws -> [SearchHit] {
        try nearestNeighbors(query, k: k, allowedFiles: allowedFiles, probes: nil, exact: false)
    }

    /// Chunk ids of ``scoredKeywordSearch(_:limit:allowedFiles:commonWordChunks:)``.
    public func keywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>? = nil) throws -> [Int64] {
        try scoredKeywordSearch(query, limit: limit, allowedFiles: allowedFiles, commonWordChunks: KeywordSearch.commonWordChunks).ids
    }

    public func scoredKeywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>? = nil) throws -> (ids: [Int64], scores: [Double]) {
        try scoredKeywordSearch(query, limit: limit, allowedFiles: allowedFiles, commonWordChunks: KeywordSearch.commonWordChunks)
    }

    /// The index's vector format; fp16 for an index from before formats.
    public func vectorFormat() throws -> VectorFormat { try meta(.vectorFormat) ?? .fp16 }

    /// When the last index run ended.
    public func lastRun() throws -> Date? { try meta(.lastRun) }
}
