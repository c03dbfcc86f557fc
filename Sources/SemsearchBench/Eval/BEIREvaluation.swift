import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Runs a BEIR dataset against an index of its corpus for a grid of (layer, dim) cells.
///
/// Documents are indexed as one file each, so the ordinary indexer chunks and situates them; a
/// document's score is its best chunk's (with whole-passage chunks, simply its vector's). Each
/// query is embedded once — every layer comes out of one pass — and ranked exactly in every cell.
///
/// ## Topics
/// - ``writeDocuments(_:to:)``
/// - ``run(searcher:dataset:documents:cells:hybrid:keywordWeight:calibrated:)``
public enum BEIREvaluation {
    /// Writes each corpus document to `folder` as `<n>.txt` (n = its position in the corpus), unless
    /// an identical file is already there, and returns each file's document title for situating.
    public static func writeDocuments(_ corpus: BenchmarkCorpus, to folder: String) throws -> [String: String] {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw CorpusError.unreadable(path: folder, reason: "cannot create it: \(error.localizedDescription)")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        var titles: [String: String] = [:]
        for (index, text) in corpus.texts.enumerated() {
            let path = root + "/\(index).txt"
            let data = Data(text.utf8)
            if fm.contents(atPath: path) != data {
                guard fm.createFile(atPath: path, contents: data) else {
                    throw CorpusError.unreadable(path: path, reason: "cannot write it")
                }
            }
            titles[path] = index < corpus.titles.count ? corpus.titles[index] : ""
        }
        return titles
    }

    /// Scores every query of `dataset` in every cell. `documents` is the folder `writeDocuments`
    /// filled and `store`, the searcher's index, covers. With `hybrid`, each cell's vector ranking is fused
    /// with BM25 (reciprocal rank fusion over chunks) before documents are ranked.
    public static func run(searcher: Searcher, store: any IndexStore, dataset: BEIRDataset, documents: String, cells: [MatryoshkaCell],
                           hybrid: Bool = false, keywordWeight: KeywordWeight = SearchOptions().keywordWeight,
                           calibrated: Bool = true) throws -> [GridResult] {
        // File id → document position, from the `<n>.txt` names.
        let root = URL(fileURLWithPath: documents).standardizedFileURL.path + "/"
        var documentOfFile: [Int64: Int] = [:]
        for file in try store.filePaths() where file.path.hasPrefix(root) {
            let name = (file.path.dropFirst(root.count) as Substring)
            if let n = Int(name.dropLast(4)), name.hasSuffix(".txt"), n < dataset.corpus.ids.count { documentOfFile[file.id] = n }
        }
        let documentCount = dataset.corpus.ids.count
        var embeddings: [LayerEmbeddings] = []
        var embedTimes: [Double] = []
        for query in dataset.queries {
            let started = ResourceUsage.now()
            embeddings.append(try searcher.embed(query.text))
            embedTimes.append((ResourceUsage.now() - started) * 1000)
        }
        var keywordRankings: [(ids: [Int64], scores: [Double])] = []
        if hybrid { keywordRankings = try dataset.queries.map { try store.scoredKeywordSearch($0.text, limit: 1000) } }

        var results: [GridResult] = []
        for cell in cells {
            let index = try searcher.flatIndex(cell, calibrated: calibrated)
            let rowDocument = index.fileIDs.map { documentOfFile[$0] ?? -1 }
            var perQuery: [RetrievalMetrics] = []
            var latencies: [Double] = []
            for (q, query) in dataset.queries.enumerated() {
                let started = ResourceUsage.now()
                let scores = index.scores(try searcher.queryVector(embeddings[q], cell: cell, calibrated: calibrated))
                var ranking: [Int]
                if hybrid {
                    let vectorRows = TopK.select(scores, k: 1000)
                    let keyword = keywordRankings[q]
                    let fused = RankFusion.fuse([vectorRows.map { index.chunkIDs[$0] }, keyword.ids],
                                                weights: [1, keywordWeight.weight(scores: keyword.scores)])
                    var seen = Set<Int>()
                    ranking = []
                    for item in fused {
                        guard let row = index.row(of: item.id) else { continue }
                        let document = rowDocument[row]
                        if document >= 0, seen.insert(document).inserted { ranking.append(document) }
                        if ranking.count == 100 { break }
                    }
                } else {
                    var best = [Float](repeating: -.infinity, count: documentCount)
                    for (row, document) in rowDocument.enumerated() where document >= 0 && scores[row] > best[document] {
                        best[document] = scores[row]
                    }
                    ranking = TopK.select(best, k: 100).filter { best[$0] > -.infinity }
                }
                latencies.append(embedTimes[q] + (ResourceUsage.now() - started) * 1000)
                perQuery.append(RetrievalMetrics(ranking: ranking.map { dataset.corpus.ids[$0] },
                                                 grades: dataset.judgments[query.id] ?? [:]))
            }
            latencies.sort()
            results.append(GridResult(cell: cell, calibrated: searcher.appliesAdapter(at: cell, calibrated: calibrated),
                                      metrics: .mean(perQuery), p50Milliseconds: latencies[latencies.count / 2]))
        }
        return results
    }
}
