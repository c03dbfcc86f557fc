import Foundation
import SemsearchCore
import SemsearchKit

/// Times what a long-lived reader (pipe mode, the screen, MCP) pays a query once its model is
/// loaded: `Searcher.search` with a plain search's options on already embedded queries, through
/// a fresh searcher over `store` (so a server-indexed cell is answered by the server, as in a new
/// process; one warm-up query first). When the store searches the cell itself, also times its
/// nearest-neighbour search alone and measures its recall@k against an exact ranking of the vectors
/// it holds (its own exact scan), for the text queries and for queries drawn near stored vectors
/// (each a stored vector plus Gaussian noise of length 0.6, renormalized: in-distribution queries
/// where the text queries are not, as on a synthetic index, whose vectors no text resembles); and
/// how far its top k agrees with `--exact` over the stored format (`flat`), which quantization
/// alone can reorder where many vectors are nearly tied.
public enum SearcherBenchmark {
    public struct Result: Sendable {
        /// `Searcher.search` with default options, and how it ranked.
        public var search: LatencySummary
        public var method: String
        /// The store's own index alone: recall@k against its own exact ranking for the text queries
        /// and for queries near stored vectors, and top-k agreement with `--exact` (text queries);
        /// nil when it has none.
        public var server: (latency: LatencySummary, recall: Double, neighbourRecall: Double, agreement: Double, method: String)?
    }

    public static func run(store: any IndexStore, model: EmbeddingModel, flat: FlatIndex, cell: MatryoshkaCell, texts: [String], k: Int) throws -> Result {
        let searcher = try Searcher(store: store, model: model)
        let embeddings = try texts.map { try searcher.embed($0) }
        var options = SearchOptions()
        options.k = k
        options.layer = cell.layer
        options.dim = cell.dim
        var method = try searcher.search(embedding: embeddings[0], query: texts[0], options: options).method.description
        var times: [Double] = []
        for (embedding, text) in zip(embeddings, texts) {
            let started = ResourceUsage.now()
            method = try searcher.search(embedding: embedding, query: text, options: options).method.description
            times.append((ResourceUsage.now() - started) * 1000)
        }
        var result = Result(search: LatencySummary(milliseconds: times), method: method)
        guard try store.nearestNeighborCell() == cell else { return result }
        var serverTimes: [Double] = [], agreed = 0, compared = 0
        func recall(_ queries: [[Float]], timed: Bool) throws -> Double {
            var found = 0, wanted = 0
            for query in queries {
                let started = ResourceUsage.now()
                let hits = Set(try store.nearestNeighbors(query, k: k, allowedFiles: nil).map(\.chunkID))
                if timed { serverTimes.append((ResourceUsage.now() - started) * 1000) }
                let exact = try store.nearestNeighbors(query, k: k, allowedFiles: nil, probes: nil, exact: true).map(\.chunkID)
                found += exact.filter { hits.contains($0) }.count
                wanted += exact.count
                if timed {
                    agreed += flat.search(query, k: k, exact: true).filter { hits.contains($0.chunkID) }.count
                    compared += min(k, flat.count)
                }
            }
            return Double(found) / Double(max(1, wanted))
        }
        let textRecall = try recall(embeddings.map { $0.vector(layer: cell.layer, dim: cell.dim) }, timed: true)
        var rng = SplitMix64(seed: 11)
        let scale = 0.6 / Float(cell.dim).squareRoot()
        let near = (0..<texts.count).map { i -> [Float] in
            var v = flat.vector(row: (i * 7919) % max(1, flat.count)).map { $0 + scale * Self.gaussian(&rng) }
            VectorMath.normalize(&v)
            return v
        }
        let neighbourRecall = try recall(near, timed: false)
        result.server = (LatencySummary(milliseconds: serverTimes), textRecall, neighbourRecall, Double(agreed) / Double(max(1, compared)),
                         store.nearestNeighborMethod(probes: nil))
        return result
    }

    /// A standard normal draw (Box–Muller).
    static func gaussian(_ rng: inout SplitMix64) -> Float {
        let u = Float.random(in: Float.ulpOfOne..<1, using: &rng), v = Float.random(in: 0..<1, using: &rng)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
    }
}
