import SemsearchCore
import SemsearchEncoder
import GRDB

extension SQLiteIndexStore {
    /// Every indexed file's id and path.
    public func filePaths() throws -> [(id: Int64, path: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, path FROM files ORDER BY id").map { ($0[0], $0[1]) }
        }
    }

    /// ``KeywordSearch`` over FTS5: each chunk's BM25 score is FTS5's `bm25()` negated (higher is better).
    public func scoredKeywordSearch(_ query: String, limit: Int, allowedFiles: Set<Int64>?,
                                    commonWordChunks: Int) throws -> (ids: [Int64], scores: [Double]) {
        let tokens = query.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { !QueryTerms.words(in: $0).isEmpty }
        guard !tokens.isEmpty, limit > 0 else { return ([], []) }
        return try read { db in
            // Whether a word is in more than `commonWordChunks` chunks, found by walking its postings
            // only that far (a count over the whole list would cost what the search is avoiding).
            let postings = try db.makeStatement(sql: "SELECT COUNT(*) FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)")
            let words = try tokens.filter { token in
                try QueryTerms.words(in: token).allSatisfy {
                    (try Int.fetchOne(postings, arguments: ["\"" + $0 + "\"", commonWordChunks + 1]) ?? 0) <= commonWordChunks
                }
            }.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            guard !words.isEmpty else { return ([], []) }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.id, c.file_id, bm25(chunks_fts) FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
                WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts)
                """, arguments: [words.joined(separator: " OR ")])
            var ids: [Int64] = [], scores: [Double] = []
            while ids.count < limit, let row = try rows.next() {
                let file: Int64 = row[1]
                if allowedFiles?.contains(file) ?? true {
                    ids.append(row[0])
                    scores.append(-(row[2] as Double))
                }
            }
            return (ids, scores)
        }
    }

    /// The vectors of `chunkIDs` at `layer`, normalized at `dim` (chunks without one are left out).
    public func vectors(layer: Int, dim: Int, chunkIDs: [Int64]) throws -> StoredVectors {
        guard !chunkIDs.isEmpty else { return StoredVectors(dim: dim, chunkIDs: [], fileIDs: [], matrix: []) }
        return try read { db in
            let (decoder, chain) = try chainColumns(db, layer: layer)
            return try Self.fetchVectors(db, dim: dim, decoder: decoder, sql: """
                SELECT v.chunk_id, c.file_id, v.vector\(chain.columns) FROM vectors v JOIN chunks c ON c.id = v.chunk_id\(chain.joins)
                WHERE v.layer = ? AND v.chunk_id IN (SELECT value FROM json_each(?)) ORDER BY v.chunk_id
                """, arguments: [layer, "[" + chunkIDs.map(String.init).joined(separator: ",") + "]"])
        }
    }

    /// Ids of the chunks of `files`.
    public func chunkIDs(inFiles files: Set<Int64>) throws -> Set<Int64> {
        guard !files.isEmpty else { return [] }
        return try read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT id FROM chunks WHERE file_id IN (SELECT value FROM json_each(?))",
                                   arguments: ["[" + files.map(String.init).joined(separator: ",") + "]"]))
        }
    }
}
