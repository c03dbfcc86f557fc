import SemsearchCore
import SemsearchEncoder
import Foundation
import Synchronization

/// Answers queries over one index with the model it was built with: embeds the query once (every
/// layer), ranks chunks at any stored (layer, dim) exactly or through IVF, optionally through a
/// Matryoshka funnel or fused with BM25, and returns chunks with snippets.
///
/// Each (layer, dim)'s vectors are loaded from the database on first use and kept, so a long-lived
/// searcher (pipe mode, the TUI) pays for loading once. Safe to use from several threads.
///
/// ## Topics
/// - ``open(database:model:mixBeta:models:)``
/// - ``search(_:options:)``
/// - ``search(embedding:query:options:)``
/// - ``embed(_:)``
public final class Searcher: Sendable {
    /// The index searched; callers that need the index itself (status, chunks by id) hold their
    /// own ``IndexStore``.
    let store: any IndexStore
    public let model: EmbeddingModel
    public let settings: IndexSettings
    /// The database's IVF index, if it has one.
    public let ivf: IVFIndex?
    /// The cell the store searches itself (PostgreSQL's default cell, by its IVFFlat index or a
    /// scan on the server), if any.
    public let serverIndexedCell: MatryoshkaCell?
    /// β applied to `mix` indexes.
    public let mixBeta: Float
    /// Layers with an adapter (calibrated early layers); empty when the index has none. Each
    /// adapter is read from the database when a search first needs it.
    public let adapterLayers: Set<Int>
    /// When the index run this searcher sees ended (nil: never recorded): what a result page's
    /// cursor is valid for.
    public let lastRun: Date?
    private let loadedAdapters = Mutex<[Int: LayerAdapter]>([:])
    private let flatIndexes = Mutex<[CellKey: FlatIndex]>([:])
    private let files = Mutex<[(id: Int64, path: String)]?>(nil)

    /// Longest query accepted, in UTF-8 bytes: far beyond what any model reads (256 to 512 tokens),
    /// short enough that a file piped in by mistake is refused rather than silently cut.
    public static let maxQueryBytes = 16 * 1024

    /// A searcher over `store` with `model`, which must be the model the index was built with.
    public init(store: any IndexStore, model: EmbeddingModel, mixBeta: Float = 0.2) throws {
        guard let settings = try store.settings(), try store.vectorCount(layer: settings.layers.max() ?? 0) > 0 else {
            throw StoreError.empty(store.address)
        }
        guard settings.modelFingerprint == model.descriptor.fingerprint else {
            throw StoreError.modelMismatch(path: store.address, indexed: settings.model, requested: model.descriptor.name)
        }
        self.store = store
        self.model = model
        self.settings = settings
        self.mixBeta = mixBeta
        ivf = try IVFIndex.load(store: store)
        serverIndexedCell = try store.nearestNeighborCell()
        adapterLayers = try store.adapterSummary().layers
        lastRun = try store.lastRun()
    }

    /// Opens the index at `path` with `model` (a name or directory), or, when nil, the model the
    /// index records — found among installed models by name.
    public static func open(database path: String, model nameOrPath: String? = nil, mixBeta: Float = 0.2,
                            models: ModelStore = ModelStore()) throws -> Searcher {
        try open(store: IndexLocation.open(path, create: false), model: nameOrPath, mixBeta: mixBeta, models: models)
    }

    /// A searcher over `store` with `model` (a name or directory), or, when nil, the model the
    /// index records — found among installed models by name.
    public static func open(store: any IndexStore, model nameOrPath: String? = nil, mixBeta: Float = 0.2,
                            models: ModelStore = ModelStore()) throws -> Searcher {
        guard let settings = try store.settings() else { throw StoreError.empty(store.address) }
        let directory: String
        if let nameOrPath {
            directory = try models.resolve(nameOrPath)
        } else {
            do { directory = try models.resolve(settings.model) } catch ModelError.notFound {
                throw SearchError.modelNotInstalled(settings.model)
            }
        }
        return try Searcher(store: store, model: EmbeddingModel.load(directory: directory), mixBeta: mixBeta)
    }

    // MARK: - Queries

    /// BLAS threads for embedding one query: a MiniLM query (~0.4 GFLOP) is fastest on one, an
    /// EmbeddingGemma query (~3 GFLOP) gains from all cores.
    public var queryThreads: Int {
        model.layerCount > 12 ? ProcessInfo.processInfo.activeProcessorCount : 1
    }

    /// Checks a query and embeds it: every layer's pooled vector, in one encoder pass.
    public func embed(_ query: String) throws -> LayerEmbeddings {
        let bytes = query.utf8.count
        guard bytes <= Self.maxQueryBytes else { throw SearchError.queryTooLong(bytes: bytes, limit: Self.maxQueryBytes) }
        guard !query.allSatisfy(\.isWhitespace) else { throw SearchError.emptyQuery }
        return model.embedQueries([query], threads: queryThreads)[0]
    }

    /// The cell a search at `layer`/`dim` runs in (nil: deepest stored layer, full width), checked
    /// against the model and the stored layers.
    public func cell(layer: Int?, dim: Int?) throws -> MatryoshkaCell {
        let cell = MatryoshkaCell(layer: layer ?? settings.layers.max()!, dim: dim ?? settings.hiddenSize)
        try model.validate(layer: cell.layer, dim: cell.dim)
        if let encoded = settings.encodedLayers, cell.layer > encoded { throw SearchError.layerNotEncoded(layer: cell.layer, encoded: encoded) }
        guard settings.layers.contains(cell.layer) else { throw SearchError.layerNotStored(layer: cell.layer, stored: settings.layers) }
        return cell
    }

    /// Embeds `query` and searches it.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> SearchResponse {
        let started = ResourceUsage.now()
        let embedding = try embed(query)
        var response = try search(embedding: embedding, query: query, options: options)
        response.embedMilliseconds = (ResourceUsage.now() - started) * 1000 - response.searchMilliseconds
        return response
    }

    /// Searches an already embedded query (the TUI embeds once and searches many cells).
    ///
    /// Three stages: a vector ranking (`rankExactly`, `rankThroughIVF`, `rankThroughFunnel` or the
    /// store's own index),
    /// optionally fused with BM25 (`fuseKeywords`), then the chunks and snippets (`results`).
    public func search(embedding: LayerEmbeddings, query: String, options: SearchOptions) throws -> SearchResponse {
        let started = ResourceUsage.now()
        let cell = try self.cell(layer: options.layer, dim: options.dim)
        let k = max(1, options.k)
        let request = RankingRequest(
            embedding: embedding, cell: cell, queryVector: try queryVector(embedding, cell: cell, calibrated: options.calibrated),
            wanted: options.hybrid ? max(k, options.candidates) : k, candidates: options.candidates,
            allowedFiles: options.paths.isEmpty ? nil : try allowedFiles(PathFilter(options.paths)),
            calibrated: options.calibrated, threads: options.threads)

        var ranked: VectorRanking
        if let funnel = options.funnel {
            ranked = try rankThroughFunnel(request, shortlistCell: try self.cell(layer: funnel.layer, dim: funnel.dim))
        } else if let ivf, useIVF(options.method, cell: cell, calibrated: options.calibrated) {
            ranked = try rankThroughIVF(request, ivf: ivf, method: options.method)
        } else if useServerIndex(options.method, cell: cell, calibrated: options.calibrated) {
            var probes: Int?
            if case .ivf(let n) = options.method { probes = n }
            let hits = try store.nearestNeighbors(request.queryVector, k: request.wanted, allowedFiles: request.allowedFiles, probes: probes, exact: false)
            ranked = VectorRanking(hits: hits, method: RankingMethod(vectors: .server(store.nearestNeighborMethod(probes: probes))), scanned: 0)
        } else {
            if case .ivf = options.method { try checkIVF(cell) }
            ranked = try rankExactly(request, forceExact: options.method == .exact)
        }
        for (i, hit) in ranked.hits.enumerated() {
            ranked.explanations[hit.chunkID, default: ScoreExplanation()].vectorScore = hit.score
            ranked.explanations[hit.chunkID, default: ScoreExplanation()].vectorRank = i + 1
        }

        let final: [RankedChunk]
        if options.hybrid {
            // Ordered by the fusion; each result keeps its cosine as `score`, which means the same in
            // every query (a threshold like `score > 0.5` keeps working), and the fusion as `relevance`.
            final = try fuseKeywords(query, into: &ranked, request: request, k: k, keywordWeight: options.keywordWeight)
                .map { RankedChunk(id: $0.id, score: ranked.explanations[$0.id]?.vectorScore ?? 0, relevance: $0.relevance) }
        } else {
            final = ranked.hits.prefix(k).map { RankedChunk(id: $0.chunkID, score: $0.score, relevance: $0.score) }
        }
        return SearchResponse(query: query, cell: cell, calibrated: appliesAdapter(at: cell, calibrated: options.calibrated),
                              results: try results(final, query: query, explanations: ranked.explanations),
                              method: ranked.method, scanned: ranked.scanned,
                              embedMilliseconds: 0, searchMilliseconds: (ResourceUsage.now() - started) * 1000)
    }

    // MARK: - Search stages

    /// What every ranking stage needs to know about one search.
    private struct RankingRequest {
        var embedding: LayerEmbeddings
        var cell: MatryoshkaCell
        var queryVector: [Float]
        /// Hits the vector stage returns (more than k when BM25 is fused afterwards).
        var wanted: Int
        var candidates: Int
        var allowedFiles: Set<Int64>?
        var calibrated: Bool
        var threads: Int
    }

    /// A vector stage's ranking, how it was made, and what each hit's explanation knows so far.
    private struct VectorRanking {
        var hits: [SearchHit]
        var method: RankingMethod
        var scanned: Int
        var explanations: [Int64: ScoreExplanation] = [:]
    }

    /// Scores every vector of the cell, or, in a cell of a few hundred thousand vectors, a sign-bit
    /// shortlist of them (unless `--exact` asked for every one).
    private func rankExactly(_ request: RankingRequest, forceExact: Bool) throws -> VectorRanking {
        let index = try flatIndex(request.cell, calibrated: request.calibrated)
        let hits = index.search(request.queryVector, k: request.wanted, allowedFiles: request.allowedFiles, threads: request.threads,
                                exact: forceExact)
        if !forceExact, let size = index.shortlistSize(k: request.wanted) {
            return VectorRanking(hits: hits, method: RankingMethod(vectors: .binaryShortlist(size: size)), scanned: index.count)
        }
        return VectorRanking(hits: hits, method: RankingMethod(vectors: .exact), scanned: index.count)
    }

    /// Scores the vectors of the IVF lists nearest the query.
    private func rankThroughIVF(_ request: RankingRequest, ivf: IVFIndex, method: SearchMethod) throws -> VectorRanking {
        let nprobe: Int
        if case .ivf(let n) = method { nprobe = n } else { nprobe = IVFIndex.defaultProbes(nlist: ivf.state.nlist) }
        let allowedChunks = try request.allowedFiles.map { try store.chunkIDs(inFiles: $0) }
        let result = try ivf.search(request.queryVector, nprobe: nprobe, k: request.wanted, allowedChunks: allowedChunks)
        return VectorRanking(hits: result.hits, method: RankingMethod(vectors: .ivf(probes: min(nprobe, ivf.state.nlist), lists: ivf.state.nlist)),
                             scanned: result.scanned)
    }

    /// Shortlists at a small cell, then re-ranks the shortlist at the searched cell.
    private func rankThroughFunnel(_ request: RankingRequest, shortlistCell small: MatryoshkaCell) throws -> VectorRanking {
        let smallIndex = try flatIndex(small, calibrated: request.calibrated)
        let shortlist = smallIndex.search(try queryVector(request.embedding, cell: small, calibrated: request.calibrated),
                                          k: max(request.wanted, request.candidates), allowedFiles: request.allowedFiles, threads: request.threads)
        let full = try scores(of: shortlist.map(\.chunkID), cell: request.cell, calibrated: request.calibrated, query: request.queryVector)
        let hits = shortlist.compactMap { hit in full[hit.chunkID].map { SearchHit(chunkID: hit.chunkID, score: $0) } }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunkID < $1.chunkID }
        var ranking = VectorRanking(hits: Array(hits.prefix(request.wanted)),
                                    method: RankingMethod(vectors: .funnel(shortlist: small, full: request.cell)),
                                    scanned: smallIndex.count + shortlist.count)
        for (i, hit) in shortlist.enumerated() {
            ranking.explanations[hit.chunkID, default: ScoreExplanation()].shortlistScore = hit.score
            ranking.explanations[hit.chunkID, default: ScoreExplanation()].shortlistRank = i + 1
        }
        return ranking
    }

    /// Fuses the vector ranking with FTS5 BM25 ranks (reciprocal rank fusion); keyword-only hits
    /// get their vector score for the explanation. Each item's `relevance` is its fused score over
    /// the most a chunk can get, first in both rankings: (1 + BM25's weight) / (k + 1).
    private func fuseKeywords(_ query: String, into ranked: inout VectorRanking, request: RankingRequest, k: Int,
                              keywordWeight: KeywordWeight) throws -> [(id: Int64, relevance: Float)] {
        let (keyword, bm25) = try store.scoredKeywordSearch(query, limit: request.wanted, allowedFiles: request.allowedFiles)
        for (i, id) in keyword.enumerated() { ranked.explanations[id, default: ScoreExplanation()].keywordRank = i + 1 }
        let weight = keywordWeight.weight(scores: bm25)
        let final = Array(RankFusion.fuse([ranked.hits.map(\.chunkID), keyword], weights: [1, weight]).prefix(k))
        let missing = final.map(\.id).filter { ranked.explanations[$0]?.vectorScore == nil }
        for (id, score) in try scores(of: missing, cell: request.cell, calibrated: request.calibrated, query: request.queryVector) {
            ranked.explanations[id]?.vectorScore = score
        }
        for item in final { ranked.explanations[item.id]?.fusedScore = item.score }
        ranked.method.fusesKeywords = true
        let best = RankFusion.bestScore(weights: [1, keyword.isEmpty ? 0 : weight])
        return final.map { ($0.id, $0.score / best) }
    }

    /// A result of the final ranking before its chunk is read: its cosine and what it is ordered by.
    private struct RankedChunk {
        var id: Int64
        var score: Float
        var relevance: Float
    }

    /// The ranked chunks with their snippets and explanations.
    private func results(_ final: [RankedChunk], query: String, explanations: [Int64: ScoreExplanation]) throws -> [SearchResult] {
        let records = try store.chunks(ids: final.map(\.id))
        var results: [SearchResult] = []
        for item in final {
            guard let chunk = records[item.id] else { continue }
            results.append(SearchResult(rank: results.count + 1, score: item.score, relevance: item.relevance, chunk: chunk,
                                        snippet: Snippet.best(in: chunk, query: query),
                                        explanation: explanations[item.id] ?? ScoreExplanation(),
                                        isStale: chunk.fileChangedSinceIndexed))
        }
        return results
    }

    // MARK: - Vectors

    /// Whether a search at `cell` goes through an adapter (without reading it).
    public func appliesAdapter(at cell: MatryoshkaCell, calibrated: Bool = true) -> Bool {
        calibrated && adapterLayers.contains(cell.layer)
    }

    /// The adapter a search at `cell` applies: the layer's, unless `calibrated` is false.
    public func adapter(for cell: MatryoshkaCell, calibrated: Bool) throws -> LayerAdapter? {
        guard calibrated, adapterLayers.contains(cell.layer) else { return nil }
        if let loaded = loadedAdapters.withLock({ $0[cell.layer] }) { return loaded }
        let adapter = try store.adapter(layer: cell.layer)
        loadedAdapters.withLock { $0[cell.layer] = adapter }
        return adapter
    }

    /// The query's vector at `cell`: `v(layer, dim)`, through the layer's adapter when calibrated.
    public func queryVector(_ embedding: LayerEmbeddings, cell: MatryoshkaCell, calibrated: Bool = true) throws -> [Float] {
        guard let adapter = try adapter(for: cell, calibrated: calibrated) else { return embedding.vector(layer: cell.layer, dim: cell.dim) }
        return adapter.vector(embedding.vector(layer: cell.layer, dim: model.hiddenSize), dim: cell.dim)
    }

    /// The exact index of `cell` (through its layer's adapter when `calibrated`), loaded on first
    /// use. Adapters are applied at load — one GEMM over the layer — rather than stored, so the
    /// database keeps one copy of each vector.
    public func flatIndex(_ cell: MatryoshkaCell, calibrated: Bool = true) throws -> FlatIndex {
        let key = CellKey(cell: cell, calibrated: appliesAdapter(at: cell, calibrated: calibrated))
        if let cached = flatIndexes.withLock({ $0[key] }) { return cached }
        var vectors: StoredVectors
        if let adapter = try adapter(for: cell, calibrated: key.calibrated) {
            let full = try store.vectors(layer: cell.layer, dim: settings.hiddenSize)
            vectors = StoredVectors(dim: cell.dim, chunkIDs: full.chunkIDs, fileIDs: full.fileIDs,
                                    matrix: adapter.vectors(full.matrix, count: full.chunkIDs.count, dim: cell.dim))
        } else {
            vectors = try store.vectors(layer: cell.layer, dim: cell.dim)
        }
        if settings.situate == .mix { vectors = vectors.mixed(beta: mixBeta) }
        let index = FlatIndex(vectors)
        flatIndexes.withLock { $0[key] = index }
        return index
    }

    /// Whether the exact vectors of `cell` are already in memory.
    public func isLoaded(_ cell: MatryoshkaCell, calibrated: Bool = true) -> Bool {
        let key = CellKey(cell: cell, calibrated: appliesAdapter(at: cell, calibrated: calibrated))
        return flatIndexes.withLock { $0[key] != nil }
    }

    private func useIVF(_ method: SearchMethod, cell: MatryoshkaCell, calibrated: Bool) -> Bool {
        guard let ivf, settings.situate != .mix, ivf.state.layer == cell.layer, ivf.state.dim == cell.dim,
              !appliesAdapter(at: cell, calibrated: calibrated) else { return false }
        switch method {
        case .exact: return false
        case .ivf: return true
        case .automatic: return !isLoaded(cell, calibrated: calibrated)
        }
    }

    /// Whether the store's own search answers (a database server's, by its IVF index or a scan):
    /// the searched cell is the one it holds, the search reads raw vectors (no adapter, not `mix`),
    /// and neither `--exact` asked for nor, without `--nprobe`, the cell's vectors in memory already
    /// (as for IVF, an exact scan of loaded vectors is cheaper and exact).
    private func useServerIndex(_ method: SearchMethod, cell: MatryoshkaCell, calibrated: Bool) -> Bool {
        guard serverIndexedCell == cell, settings.situate != .mix, !appliesAdapter(at: cell, calibrated: calibrated) else { return false }
        switch method {
        case .exact: return false
        case .ivf: return true
        case .automatic: return !isLoaded(cell, calibrated: calibrated)
        }
    }

    private func checkIVF(_ cell: MatryoshkaCell) throws {
        guard let ivf else { throw SearchError.noIVFIndex }
        throw SearchError.ivfMismatch(requested: cell, indexed: MatryoshkaCell(layer: ivf.state.layer, dim: ivf.state.dim))
    }

    /// Cosine scores of `ids` at `cell`: from memory when the cell is loaded (or must be: `mix` and
    /// calibrated cells are computed at load, so they are loaded whole), else read by id.
    private func scores(of ids: [Int64], cell: MatryoshkaCell, calibrated: Bool, query: [Float]) throws -> [Int64: Float] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: Float] = [:]
        if isLoaded(cell, calibrated: calibrated) || settings.situate == .mix || appliesAdapter(at: cell, calibrated: calibrated) {
            let index = try flatIndex(cell, calibrated: calibrated)
            for id in ids {
                guard let row = index.row(of: id) else { continue }
                out[id] = zip(index.vector(row: row), query).reduce(0) { $0 + $1.0 * $1.1 }
            }
        } else {
            let vectors = try store.vectors(layer: cell.layer, dim: cell.dim, chunkIDs: ids)
            for (row, id) in vectors.chunkIDs.enumerated() {
                var dot: Float = 0
                for j in 0..<cell.dim { dot += vectors.matrix[row * cell.dim + j] * query[j] }
                out[id] = dot
            }
        }
        return out
    }

    /// A cell with or without its adapter: the key of the loaded exact indexes.
    private struct CellKey: Hashable {
        var cell: MatryoshkaCell
        var calibrated: Bool
    }

    /// Ids of the files `filter` keeps.
    private func allowedFiles(_ filter: PathFilter) throws -> Set<Int64> {
        let all = try files.withLock { cached in
            if let cached { return cached }
            let loaded = try store.filePaths()
            cached = loaded
            return loaded
        }
        return Set(all.filter { filter.matches($0.path) }.map(\.id))
    }
}
