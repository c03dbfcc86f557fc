import Foundation
import SemsearchCore
import SemsearchEncoder

extension PostgresIndexStore {
    // MARK: - Keyword search

    /// BM25 computed by the server from the `tsvector`s, with FTS5's formula and constants (k1 1.2,
    /// b 0.75, idf `ln((N − df + 0.5)/(df + 0.5))`, at least 1e-6), over the terms FTS5 gets from
    /// the SQLite store, so hybrid ranks mean what they mean there. `ts_rank` is not BM25: it has no
    /// idf and no length normalization against the collection. The query's terms are its
    /// whitespace-separated tokens that hold a word other than a stop word (``QueryTerms``), each
    /// a phrase of its lower-cased letter and digit runs (`medicare's` → `medicare <-> s`); a term's
    /// document frequency is the chunks matching the phrase (counted only up to
    /// `commonWordChunks`, above which the term is left out), its frequency in a chunk the fewest
    /// positions of any of its words there, a chunk's length its `words`, and N and the average
    /// length come from `keyword_totals`.
    public func scoredKeywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>?,
                                    commonWordChunks: Int) throws -> (ids: [Int64], scores: [Double]) {
        let terms = Self.keywordTerms(query)
        guard limit > 0, !terms.isEmpty else { return ([], []) }
        if let allowedFiles, allowedFiles.isEmpty { return ([], []) }
        return try snapshot { connection in
            let frequencies = try connection.execute("""
                SELECT (SELECT count(*) FROM (SELECT 1 FROM chunks c WHERE c.terms @@ t.query::tsquery LIMIT $2) s), (SELECT chunks FROM keyword_totals)
                FROM unnest($1::text[]) WITH ORDINALITY AS t(query, place) ORDER BY t.place
                """, [.texts(terms.map(\.query)), PostgresValue(commonWordChunks + 1)])
            var kept: [(query: String, words: String)] = [], idfs: [Double] = []
            for (row, term) in terms.enumerated() {
                let df = Double(frequencies.int(row, 0)), total = Double(frequencies.int(row, 1))
                guard df > 0, df <= Double(commonWordChunks) else { continue }
                kept.append(term)
                idfs.append(max(1e-6, log((total - df + 0.5) / (df + 0.5))))
            }
            guard !kept.isEmpty else { return ([], []) }
            var parameters: [PostgresValue] = [.texts(kept.map(\.query)), .text("{" + idfs.map { "\($0)" }.joined(separator: ",") + "}"),
                                               .texts(kept.map(\.words)), PostgresValue(limit)]
            var filter = ""
            if let allowedFiles {
                parameters.append(.ids(allowedFiles))
                filter = " AND c.file_id = ANY($5::bigint[])"
            }
            let result = try connection.execute("""
                WITH q AS (SELECT t.query::tsquery AS query, t.idf, string_to_array(t.words, ' ') AS words
                           FROM unnest($1::text[], $2::double precision[], $3::text[]) AS t(query, idf, words)),
                     totals AS (SELECT words::double precision / greatest(chunks, 1) AS average FROM keyword_totals)
                SELECT c.id, sum(q.idf * f.tf * 2.2 / (f.tf + 1.2 * (0.25 + 0.75 * c.words / greatest(totals.average, 1)))) AS score
                FROM chunks c CROSS JOIN totals JOIN q ON c.terms @@ q.query
                     CROSS JOIN LATERAL (SELECT min(cardinality(u.positions)) AS tf FROM unnest(c.terms) u WHERE u.lexeme = ANY(q.words)) f
                WHERE c.terms @@ (SELECT string_agg('(' || t || ')', ' | ')::tsquery FROM unnest($1::text[]) t)\(filter)
                GROUP BY c.id ORDER BY score DESC, c.id LIMIT $4
                """, parameters)
            return ((0..<result.rowCount).map { result.int64($0, 0) }, (0..<result.rowCount).map { result.double($0, 1) })
        }
    }

    /// The query's terms as `tsquery` text (a phrase of quoted lexemes) and their words joined by
    /// spaces, in query order, each once.
    static func keywordTerms(_ query: String) -> [(query: String, words: String)] {
        var seen = Set<String>(), terms: [(query: String, words: String)] = []
        for token in query.split(whereSeparator: \.isWhitespace) where !QueryTerms.words(in: String(token)).isEmpty {
            let words = token.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
            guard !words.isEmpty, seen.insert(words.joined(separator: " ")).inserted else { continue }
            terms.append((words.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: " <-> "), words.joined(separator: " ")))
        }
        return terms
    }

    // MARK: - The server's nearest-neighbour index

    /// The default cell (deepest stored layer, full width), which the server's HNSW index holds.
    public func nearestNeighborCell() throws -> MatryoshkaCell? {
        guard let dim = nearestNeighborDim, let settings = try settings(), let deepest = settings.layers.max() else { return nil }
        return MatryoshkaCell(layer: deepest, dim: dim)
    }

    /// The HNSW candidate list a search keeps (`hnsw.ef_search`) for `k` results: twice `k`, at
    /// least 100, at most 1,000 (pgvector's limit). pgvector's default, 40, gave recall@10 of
    /// 0.91 on a million synthetic vectors; 100 gave 0.98 (docs/POSTGRES.md).
    static func candidateList(k: Int) -> Int { min(1000, max(100, 2 * k)) }

    /// The `k` chunks nearest `query` (normalized at the cell's width) by the server's HNSW index,
    /// best first, with their cosine. With `allowedFiles`, pgvector's iterative scan goes on
    /// through the graph until `k` rows pass the filter (or the graph is exhausted).
    public func nearestNeighbors(_ query: [Float], k: Int, allowedFiles: Set<Int64>?) throws -> [SearchHit] {
        guard let dim = nearestNeighborDim else { return [] }
        if let allowedFiles, allowedFiles.isEmpty { return [] }
        return try snapshot { connection in
            try connection.execute("SET LOCAL hnsw.ef_search = \(Self.candidateList(k: k))")
            var parameters: [PostgresValue] = [.binary(HalfVector.wire(query, dim: dim)), PostgresValue(k)]
            let sql: String
            if let allowedFiles {
                try connection.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                parameters.append(.ids(allowedFiles))
                sql = """
                    SELECT a.chunk_id, -(a.embedding <#> $1::halfvec) FROM ann_vectors a JOIN chunks c ON c.id = a.chunk_id
                    WHERE c.file_id = ANY($3::bigint[]) ORDER BY a.embedding <#> $1::halfvec LIMIT $2
                    """
            } else {
                sql = "SELECT chunk_id, -(embedding <#> $1::halfvec) FROM ann_vectors ORDER BY embedding <#> $1::halfvec LIMIT $2"
            }
            let result = try connection.execute(sql, parameters, binaryResults: true, prepared: true)
            // A relaxed-order scan may return rows slightly out of order.
            return (0..<result.rowCount).map { SearchHit(chunkID: result.int64($0, 0), score: Float(result.double($0, 1))) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunkID < $1.chunkID }
        }
    }

    /// How the server searched, for `--explain` and status lines.
    public func nearestNeighborMethod(k: Int) -> String { "hnsw ef_search \(Self.candidateList(k: k))" }

    // MARK: - IVF lists: none (the server's HNSW index searches the default cell)

    public func ivfState() throws -> IVFState? { nil }

    public func replaceIVF(_ state: IVFState, centroids: [Float], entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)],
                           quantizer: VectorQuantizer?) throws {
        throw StoreError.failure(path: address, reason: Self.noIVFLists)
    }

    public func addIVFEntries(_ entries: [(list: Int32, chunkID: Int64, vector: ArraySlice<Float>)]) throws {
        throw StoreError.failure(path: address, reason: Self.noIVFLists)
    }

    @discardableResult public func rewriteIVFEntries(for format: VectorFormat) throws -> Int { 0 }
    public func dropIVF() throws {}
    public func ivfCentroids(_ state: IVFState) throws -> [Float] { [] }
    public func ivfListScores(_ lists: [Int], query: [Float]) throws -> (ids: [Int64], scores: [Float]) { ([], []) }
    public func vectorsMissingFromIVF(layer: Int, dim: Int) throws -> StoredVectors { StoredVectors(dim: dim, chunkIDs: [], fileIDs: [], matrix: []) }

    static let noIVFLists = "an index in PostgreSQL keeps no IVF lists: the server's HNSW index searches the default cell (leave out --ivf)"
}
