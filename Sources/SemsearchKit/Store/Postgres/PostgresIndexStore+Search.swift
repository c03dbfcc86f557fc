import Foundation
import SemsearchCore
import SemsearchEncoder

extension PostgresIndexStore {
    // MARK: - Keyword search

    /// BM25 computed by the server from the postings (`chunk_terms`), with FTS5's formula and
    /// constants (k1 1.2, b 0.75, idf `ln((N − df + 0.5)/(df + 0.5))`, at least 1e-6), over the
    /// terms FTS5 gets from the SQLite store, so hybrid ranks mean what they mean there. `ts_rank`
    /// is not BM25: it has no idf and no length normalization against the collection. The query's
    /// terms are its whitespace-separated tokens that hold a word other than a stop word
    /// (``QueryTerms``), each a phrase of its lower-cased letter and digit runs (`medicare's` →
    /// `medicare <-> s`): a one-word term's chunks are its postings; a phrase's, the chunks holding
    /// every word of it whose `tsvector` matches the phrase, its frequency there the fewest
    /// occurrences of any of its words. A term's document frequency is counted only up to
    /// `commonWordChunks`, above which it is left out; N and the average length come from
    /// `keyword_totals`.
    public func scoredKeywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>?,
                                    commonWordChunks: Int) throws -> (ids: [Int64], scores: [Double]) {
        let terms = Self.keywordTerms(query)
        guard limit > 0, !terms.isEmpty else { return ([], []) }
        if let allowedFiles, allowedFiles.isEmpty { return ([], []) }
        let termTable = """
            q AS (SELECT t.place, t.query::tsquery AS query, t.idf, w.words, cardinality(w.words) AS n
                  FROM unnest($1::text[], $2::double precision[], $3::text[]) WITH ORDINALITY AS t(query, idf, words, place),
                       LATERAL (SELECT ARRAY(SELECT DISTINCT unnest(string_to_array(t.words, ' '))) AS words) w),
            hits AS (SELECT q.place, p.chunk_id, min(p.tf) AS tf, min(p.words) AS words
                     FROM q JOIN chunk_terms p ON p.lexeme = ANY(q.words)
                     GROUP BY q.place, p.chunk_id HAVING count(*) = min(q.n)),
            matched AS (SELECT h.* FROM hits h JOIN q ON q.place = h.place
                        WHERE q.n = 1 OR EXISTS (SELECT 1 FROM chunks c WHERE c.id = h.chunk_id AND c.terms @@ q.query))
            """
        return try snapshot { connection in
            // How many chunks hold each term's most common word, each counted only up to the cap
            // (a walk of that word's postings that far); a term with a word past it is left out.
            let widest = try connection.execute("""
                SELECT (SELECT max((SELECT count(*) FROM (SELECT 1 FROM chunk_terms p WHERE p.lexeme = w LIMIT $2) s))
                        FROM unnest(string_to_array(t.words, ' ')) w), (SELECT chunks FROM keyword_totals)
                FROM unnest($1::text[]) WITH ORDINALITY AS t(words, place) ORDER BY t.place
                """, [.texts(terms.map(\.words)), PostgresValue(commonWordChunks + 1)])
            let total = widest.rowCount > 0 ? Double(widest.int(0, 1)) : 0
            let candidates = terms.indices.filter { (1...commonWordChunks).contains(widest.int($0, 0)) }
            guard !candidates.isEmpty else { return ([], []) }
            // A one-word term's frequency is that count; a phrase's, the chunks that match it.
            let phrases = candidates.filter { terms[$0].words.contains(" ") }
            var phraseFrequency: [Int: Int] = [:]
            if !phrases.isEmpty {
                let counted = try connection.execute("""
                    WITH \(termTable)
                    SELECT q.place, (SELECT count(*) FROM matched m WHERE m.place = q.place) FROM q ORDER BY q.place
                    """, [.texts(phrases.map { terms[$0].query }), .text("{" + phrases.map { _ in "0" }.joined(separator: ",") + "}"),
                          .texts(phrases.map { terms[$0].words })])
                for (row, index) in phrases.enumerated() { phraseFrequency[index] = counted.int(row, 1) }
            }
            var kept: [(query: String, words: String)] = [], idfs: [Double] = []
            for index in candidates {
                let df = Double(phraseFrequency[index] ?? widest.int(index, 0))
                guard df > 0 else { continue }
                kept.append(terms[index])
                idfs.append(max(1e-6, log((total - df + 0.5) / (df + 0.5))))
            }
            guard !kept.isEmpty else { return ([], []) }
            var parameters: [PostgresValue] = [.texts(kept.map(\.query)), .text("{" + idfs.map { "\($0)" }.joined(separator: ",") + "}"),
                                               .texts(kept.map(\.words)), PostgresValue(limit)]
            var filter = ""
            if let allowedFiles {
                parameters.append(.ids(allowedFiles))
                filter = " WHERE m.chunk_id IN (SELECT id FROM chunks WHERE file_id = ANY($5::bigint[]))"
            }
            // One-word terms only (most queries): their postings summed straight, one aggregate.
            let matches = kept.contains { $0.words.contains(" ") } ? "WITH \(termTable)," : """
                WITH q AS (SELECT t.place, t.idf FROM unnest($1::text[], $2::double precision[], $3::text[]) WITH ORDINALITY AS t(query, idf, words, place)),
                     matched AS (SELECT t.place, p.chunk_id, p.tf, p.words
                                  FROM unnest($3::text[]) WITH ORDINALITY AS t(words, place) JOIN chunk_terms p ON p.lexeme = t.words),
                """
            let result = try connection.execute("""
                \(matches)
                     totals AS (SELECT words::double precision / greatest(chunks, 1) AS average FROM keyword_totals)
                SELECT m.chunk_id, sum(q.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * m.words / greatest(totals.average, 1)))) AS score
                FROM matched m JOIN q ON q.place = m.place CROSS JOIN totals\(filter)
                GROUP BY m.chunk_id ORDER BY score DESC, m.chunk_id LIMIT $4
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
