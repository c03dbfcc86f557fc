import SemsearchKit

/// One line of `semsearch search --json`: one result.
struct SearchResultRecord: Encodable {
    /// Only in pipe mode (queries on stdin): the query this line answers.
    var query: String?
    /// 1-based rank.
    var rank: Int
    /// Cosine similarity at the searched cell, in every ranking (so a threshold means the same in
    /// every query); down a hybrid list it need not fall.
    var score: Float
    /// What the results are ordered by, never rising down the list, and the number the terminal and
    /// grep-style lines print: the cosine for a vector ranking, for a hybrid one the fused score
    /// over the best possible (1: first by meaning and by keywords). See `SearchResult.relevance`.
    var relevance: Float
    /// Absolute path of the file.
    var path: String
    /// 1-based, inclusive lines of the chunk.
    var lineStart: Int
    var lineEnd: Int
    /// The chunk's UTF-8 byte range in the file (in the extracted text for HTML, PDF and the document formats).
    var byteStart: Int
    var byteEnd: Int
    /// Heading breadcrumb, e.g. "# Rhine › ## Delta", or empty.
    var heading: String
    /// Where the chunk lies in the document's own terms, `{"unit": "slide", "start": 3, "end": 3}`
    /// (units: page, slide, chapter, message, paragraph; start and end 1-based, inclusive); null
    /// for a file whose lines are its location.
    var location: Nullable<DocumentLocation>
    /// The chunk's text.
    var text: String
    /// The searched cell.
    var layer: Int
    var dim: Int
    /// Present (true) only when the file changed or went away since it was indexed.
    var stale: Bool?
    /// Only with `--explain`: the ranking method (e.g. "exact", "ivf nprobe 8/64 + bm25"), whether a
    /// calibration adapter mapped the query, and the vector score and rank.
    var method: String?
    var calibrated: Bool?
    var vectorScore: Nullable<Float>?
    var vectorRank: Nullable<Int>?
    /// Only with `--explain` on a hybrid search: the BM25 rank and the fused score.
    var bm25Rank: Nullable<Int>?
    var fusedScore: Nullable<Float>?
    /// Only with `--explain` on a funnel search: the score and rank in the shortlist cell.
    var shortlistScore: Nullable<Float>?
    var shortlistRank: Nullable<Int>?

    enum CodingKeys: String, CodingKey {
        case query, rank, score, relevance, path, lineStart = "line_start", lineEnd = "line_end", byteStart = "byte_start", byteEnd = "byte_end"
        case heading, location, text, layer, dim, stale, method, calibrated, vectorScore = "vector_score", vectorRank = "vector_rank"
        case bm25Rank = "bm25_rank", fusedScore = "fused_score", shortlistScore = "shortlist_score", shortlistRank = "shortlist_rank"
    }

    init(_ result: SearchResult, of response: SearchResponse, pipeMode: Bool, explain: Bool) {
        let chunk = result.chunk
        query = pipeMode ? response.query : nil
        rank = result.rank
        score = result.score
        relevance = result.relevance
        path = chunk.path
        lineStart = chunk.lineStart
        lineEnd = chunk.lineEnd
        byteStart = chunk.byteRange.lowerBound
        byteEnd = chunk.byteRange.upperBound
        heading = chunk.heading
        location = Nullable(chunk.location)
        text = chunk.text
        layer = response.cell.layer
        dim = response.cell.dim
        stale = result.isStale ? true : nil
        guard explain else { return }
        let e = result.explanation
        method = response.method.description
        calibrated = response.calibrated
        vectorScore = Nullable(e.vectorScore)
        vectorRank = Nullable(e.vectorRank)
        if response.method.fusesKeywords {
            bm25Rank = Nullable(e.keywordRank)
            fusedScore = Nullable(e.fusedScore)
        }
        if response.method.isFunnel {
            shortlistScore = Nullable(e.shortlistScore)
            shortlistRank = Nullable(e.shortlistRank)
        }
    }
}
