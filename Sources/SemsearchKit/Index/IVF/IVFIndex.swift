import SemsearchCore
import SemsearchEncoder
import CBLAS
import Foundation

/// An inverted-file index over one (layer, dim): k-means centroids in memory, each list's
/// vectors in SQLite clustered by list, so a query reads only the `nprobe` lists it probes.
///
/// ## Topics
/// - ``update(store:setting:layer:dim:)``
/// - ``load(store:)``
/// - ``search(_:nprobe:k:allowedChunks:)``
public final class IVFIndex: Sendable {
    public let state: IVFState
    private let centroids: [Float]
    private let store: any IndexStore

    /// Chunks from which `auto` builds an IVF index; below it exact search is fast enough.
    public static let autoThreshold = 20_000
    /// Retrain when the collection has grown past this factor of what the centroids were trained on.
    public static let retrainGrowth = 2.0
    /// At most this many vectors train the centroids (a uniform sample beyond it).
    public static let maxTrainingVectors = 65_536

    init(state: IVFState, centroids: [Float], store: any IndexStore) {
        self.state = state
        self.centroids = centroids
        self.store = store
    }

    /// The database's IVF index, or nil when it has none.
    public static func load(store: any IndexStore) throws -> IVFIndex? {
        guard let state = try store.ivfState() else { return nil }
        return IVFIndex(state: state, centroids: try store.ivfCentroids(state), store: store)
    }

    /// Lists for `count` vectors under `auto`: about 4·√N.
    public static func autoListCount(_ count: Int) -> Int { max(1, Int((4 * Double(count).squareRoot()).rounded())) }

    /// Brings the IVF index in line with the setting after an indexing run: trains it when the
    /// collection is large enough (or the setting asks), retrains when the searched (layer, dim)
    /// changed, the collection has grown past `retrainGrowth` × what it was at training
    /// (`trainedOn`), or an explicit list count differs from the index's (under `auto` the lists
    /// stay until growth retrains them), otherwise files the new chunks under their nearest centroid. Returns the resulting state (nil: no IVF index).
    @discardableResult
    public static func update(store: any IndexStore, setting: IVFSetting, layer: Int, dim: Int) throws -> IVFState? {
        let existing = try store.ivfState()
        let total = try store.vectorCount(layer: layer)
        let wanted: Int?
        switch setting {
        case .off: wanted = nil
        case .lists(let n): wanted = min(n, max(1, total))
        case .auto: wanted = total >= autoThreshold ? autoListCount(total) : (existing.map { _ in autoListCount(total) })
        }
        guard let nlist = wanted, total > 0 else {
            if existing != nil { try store.dropIVF() }
            return nil
        }
        if let existing, existing.layer == layer, existing.dim == dim,
           Double(total) <= Double(existing.trainedOn) * retrainGrowth,
           setting == .auto || existing.nlist == nlist {
            let fresh = try store.vectorsMissingFromIVF(layer: layer, dim: dim)
            if !fresh.chunkIDs.isEmpty {
                let centroids = try store.ivfCentroids(existing)
                let (lists, _) = KMeans.assign(fresh.matrix, count: fresh.chunkIDs.count, dim: dim, centroids: centroids, k: existing.nlist)
                try store.addIVFEntries(entries(fresh, lists))
            }
            return existing
        }
        // (Re)train on a sample, then file every vector.
        let all = try store.vectors(layer: layer, dim: dim)
        return try build(store: store, vectors: all, layer: layer, nlist: nlist).state
    }

    /// Trains `nlist` centroids on (a sample of) `vectors`, files every vector under its nearest
    /// one, and replaces the store's IVF index with the result.
    public static func build(store: any IndexStore, vectors all: StoredVectors, layer: Int, nlist: Int) throws -> IVFIndex {
        let dim = all.dim, n = all.chunkIDs.count
        var sample = all.matrix
        var sampleCount = n
        if n > maxTrainingVectors {
            var rng = SplitMix64(seed: UInt64(n))
            let picks = (0..<n).shuffled(using: &rng).prefix(maxTrainingVectors)
            sample = picks.flatMap { all.matrix[($0 * dim)..<(($0 + 1) * dim)] }
            sampleCount = maxTrainingVectors
        }
        let k = min(nlist, sampleCount)
        let centroids = KMeans.train(sample, count: sampleCount, dim: dim, k: k)
        let (lists, _) = KMeans.assign(all.matrix, count: n, dim: dim, centroids: centroids, k: k)
        let state = IVFState(layer: layer, dim: dim, nlist: k, trainedOn: n)
        // An index in a compact format keeps its lists in 8-bit codes too (ranges fitted on the sample).
        let format = try store.vectorFormat()
        let quantizer = format == .fp16 ? nil : VectorQuantizer.fit(rows: sample, width: dim, bits: 8)
        try store.replaceIVF(state, centroids: centroids, entries: entries(all, lists), quantizer: quantizer)
        return IVFIndex(state: state, centroids: centroids, store: store)
    }

    private static func entries(_ vectors: StoredVectors, _ lists: [Int32]) -> [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)] {
        vectors.chunkIDs.indices.map { i in
            (lists[i], vectors.chunkIDs[i], vectors.matrix[(i * vectors.dim)..<((i + 1) * vectors.dim)])
        }
    }

    /// Lists a search probes unless told otherwise: a sixteenth of them, at least 8 — enough for
    /// recall@10 ≥ 0.95 on the clustered collections `bench search` measures.
    public static func defaultProbes(nlist: Int) -> Int { min(nlist, max(8, nlist / 16)) }

    /// The `k` best chunks among the `nprobe` lists whose centroids are nearest the query
    /// (normalized, `state.dim` long), and how many vectors were scanned. With `allowedChunks`,
    /// only those chunks are candidates.
    public func search(_ query: [Float], nprobe: Int, k: Int, allowedChunks: Set<Int64>? = nil) throws -> (hits: [SearchHit], scanned: Int) {
        precondition(query.count == state.dim)
        var centroidScores = [Float](repeating: 0, count: state.nlist)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(state.nlist), Int32(state.dim), 1, centroids, Int32(state.dim),
                    query, 1, 0, &centroidScores, 1)
        let probed = TopK.select(centroidScores, k: max(1, min(nprobe, state.nlist)))
        var (ids, scores) = try store.ivfListScores(probed, query: query)
        guard !ids.isEmpty else { return ([], 0) }
        if let allowedChunks {
            for i in ids.indices where !allowedChunks.contains(ids[i]) { scores[i] = -.infinity }
        }
        let hits = TopK.select(scores, k: k).compactMap { i in
            scores[i] == -.infinity ? nil : SearchHit(chunkID: ids[i], score: scores[i])
        }
        return (hits, ids.count)
    }
}
