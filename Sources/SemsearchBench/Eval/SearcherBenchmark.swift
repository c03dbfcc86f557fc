import Foundation
import SemsearchCore
import SemsearchKit

/// Times what a long-lived reader (pipe mode, the screen, MCP) pays a query once its model is
/// loaded: `Searcher.search` with a plain search's options on already embedded queries, through
/// a fresh searcher over `store` (so a server-indexed cell is answered by the server, as in a new
/// process; one warm-up query first). When the store searches the cell itself, also times its
/// nearest-neighbour search alone and measures its recall@k against an exact ranking of `flat`.
public enum SearcherBenchmark {
    public struct Result: Sendable {
        /// `Searcher.search` with default options, and how it ranked.
        public var search: LatencySummary
        public var method: String
        /// The store's own index alone, with recall@k against exact search; nil when it has none.
        public var server: (latency: LatencySummary, recall: Double, method: String)?
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
        var serverTimes: [Double] = [], found = 0, wanted = 0
        for embedding in embeddings {
            let query = embedding.vector(layer: cell.layer, dim: cell.dim)
            let started = ResourceUsage.now()
            let hits = try store.nearestNeighbors(query, k: k, allowedFiles: nil)
            serverTimes.append((ResourceUsage.now() - started) * 1000)
            let exact = Set(flat.search(query, k: k, exact: true).map(\.chunkID))
            found += hits.filter { exact.contains($0.chunkID) }.count
            wanted += exact.count
        }
        result.server = (LatencySummary(milliseconds: serverTimes), Double(found) / Double(max(1, wanted)), store.nearestNeighborMethod(k: k))
        return result
    }
}
