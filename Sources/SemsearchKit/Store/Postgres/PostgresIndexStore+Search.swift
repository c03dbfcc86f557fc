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

    // MARK: - The server's nearest-neighbour search

    /// The default cell (deepest stored layer, full width), which `ann_vectors` holds.
    public func nearestNeighborCell() throws -> MatryoshkaCell? {
        guard let dim = nearestNeighborDim, let settings = try settings(), let deepest = settings.layers.max() else { return nil }
        return MatryoshkaCell(layer: deepest, dim: dim)
    }

    /// Rows below which the server scans every vector rather than keep an IVFFlat index: as
    /// semsearch's own IVF (20,000), where a scan of fp16 rows still takes a few milliseconds.
    static let indexThreshold = 20_000

    /// pgvector's guidance for IVFFlat: rows / 1,000 lists up to a million rows, √rows beyond.
    static func listCount(rows: Int) -> Int { rows <= 1_000_000 ? max(1, rows / 1000) : Int(Double(rows).squareRoot().rounded()) }

    /// Lists a search probes by default: √lists, at least 10 (all of them when fewer). On a million
    /// synthetic clustered 384-dim vectors with 1,000 lists, recall@10 against an exact scan was
    /// 1.000 at 10, 20, 40 and 80 probes (3.9, 7.4, 14.6, 32.5 ms a query), where pgvector's HNSW
    /// reached 0.740 at ef_search 100 and 0.920 at 1,000 (docs/POSTGRES.md).
    static func defaultProbes(lists: Int) -> Int { min(lists, max(10, Int(Double(lists).squareRoot().rounded()))) }

    /// The IVFFlat index of `ann_vectors`, as last built; nil while the server scans.
    public func nearestNeighborIndex() throws -> IVFState? {
        let state = try meta(.serverIVF)
        serverIndexState = state
        return state
    }

    /// The `k` chunks nearest `query` (normalized at the cell's width), best first, with the
    /// cosines of their fp16 copies: through the IVFFlat index (`probes` lists, by default
    /// ``defaultProbes(lists:)``) when there is one, else by a scan of every row; with `exact`, by
    /// a scan whatever the index. With `allowedFiles`, pgvector's iterative scan goes on probing
    /// until `k` rows pass the filter.
    public func nearestNeighbors(_ query: [Float], k: Int, allowedFiles: Set<Int64>?, probes: Int?, exact: Bool) throws -> [SearchHit] {
        guard let dim = nearestNeighborDim else { return [] }
        if let allowedFiles, allowedFiles.isEmpty { return [] }
        let state = try nearestNeighborIndex()
        return try snapshot { connection in
            if exact {
                try connection.execute("SET LOCAL enable_indexscan = off")
            } else if let state {
                try connection.execute("SET LOCAL ivfflat.probes = \(max(1, probes ?? Self.defaultProbes(lists: state.nlist)))")
            }
            var parameters: [PostgresValue] = [.binary(HalfVector.wire(query, dim: dim)), PostgresValue(k)]
            let sql: String
            if let allowedFiles {
                try connection.execute("SET LOCAL ivfflat.iterative_scan = relaxed_order")
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

    /// How the server searched (as of the last search), for `--explain` and status lines.
    public func nearestNeighborMethod(probes: Int?) -> String {
        guard let state = serverIndexState else { return "exact scan" }
        return "ivfflat probes \(min(state.nlist, max(1, probes ?? Self.defaultProbes(lists: state.nlist))))/\(state.nlist)"
    }

    /// Builds the IVFFlat index once the default cell holds ``indexThreshold`` rows (`auto`), with
    /// ``listCount(rows:)`` lists, and again when the rows have doubled since; `lists(n)` builds it
    /// with n lists whatever the size, `off` drops it. A new index is built beside the old one with
    /// `CREATE INDEX CONCURRENTLY` and takes its name, so searches go on meanwhile (on the old
    /// index, or the scan); an interrupted build leaves an invalid index that the next one drops.
    @discardableResult
    public func updateNearestNeighborIndex(_ setting: IVFSetting) throws -> IVFState? {
        guard let cell = try nearestNeighborCell() else { return nil }
        let rows = try withConnection { try $0.execute("SELECT count(*) FROM ann_vectors").int(0, 0) }
        let existing = try nearestNeighborIndex()
        let present = try withConnection { try $0.execute("SELECT to_regclass($1) IS NOT NULL", [.text(location.schema + ".ann_vectors_ivf")]).string(0, 0) == "t" }
        let lists: Int?
        switch setting {
        case .off: lists = nil
        case .lists(let n): lists = n
        case .auto: lists = rows >= Self.indexThreshold || existing != nil ? Self.listCount(rows: rows) : nil
        }
        guard let lists, rows > 0 else {
            try withConnection { connection in
                try connection.execute("DROP INDEX CONCURRENTLY IF EXISTS ann_vectors_ivf")
                try Self.removeMeta(.serverIVF, connection)
            }
            serverIndexState = nil
            return nil
        }
        if let existing, present {
            let grown = Double(rows) >= 2 * Double(existing.trainedOn)
            if case .lists(let n) = setting, n == existing.nlist, !grown { return existing }
            if case .auto = setting, !grown { return existing }
        }
        let state = IVFState(layer: cell.layer, dim: cell.dim, nlist: lists, trainedOn: rows)
        try withConnection { connection in
            try connection.execute("DROP INDEX CONCURRENTLY IF EXISTS ann_vectors_ivf_new")
            try connection.execute("SET maintenance_work_mem = '1GB'")
            defer { _ = try? connection.execute("RESET maintenance_work_mem") }
            try connection.execute("CREATE INDEX CONCURRENTLY ann_vectors_ivf_new ON ann_vectors USING ivfflat (embedding halfvec_ip_ops) WITH (lists = \(lists))")
            try connection.execute("DROP INDEX CONCURRENTLY IF EXISTS ann_vectors_ivf")
            try connection.execute("ALTER INDEX ann_vectors_ivf_new RENAME TO ann_vectors_ivf")
            try Self.setMeta(.serverIVF, state, connection)
            try connection.execute("SELECT pg_notify($1, '')", [.text(channel)])
        }
        serverIndexState = state
        return state
    }

    // MARK: - IVF lists: none in the client's format (the server's IVFFlat index takes their place)

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

    static let noIVFLists = "an index in PostgreSQL keeps no IVF lists of its own: the server's IVFFlat index searches the default cell"
}
