import SemsearchBench
import SemsearchKit

/// The line `semsearch bench mcp --json` prints.
struct MCPBenchmarkRecord: Encodable {
    /// Files in the index, server starts timed, and later searches timed (over all runs).
    var files: Int
    var runs: Int
    var queries: Int
    /// From process start to the first search's answer (handshake, model and vectors loading):
    /// p50 and max in milliseconds.
    var firstAnswerP50: Double
    var firstAnswerMax: Double
    /// Each later search, request written to answer read: p50 and p99 in milliseconds.
    var searchP50: Double
    var searchP99: Double
    /// Size of the `tools/list` answer in bytes, which clients keep in every turn's context.
    var toolsListBytes: Int

    enum CodingKeys: String, CodingKey {
        case files, runs, queries, firstAnswerP50 = "first_answer_p50_ms", firstAnswerMax = "first_answer_max_ms"
        case searchP50 = "search_p50_ms", searchP99 = "search_p99_ms", toolsListBytes = "tools_list_bytes"
    }

    init(files: Int, runs: Int, queries: Int, firstAnswer: LatencySummary, search: LatencySummary, toolsListBytes: Int) {
        self.files = files
        self.runs = runs
        self.queries = queries
        firstAnswerP50 = JSONOutput.rounded(firstAnswer.p50Milliseconds, places: 1)
        firstAnswerMax = JSONOutput.rounded(firstAnswer.maxMilliseconds, places: 1)
        searchP50 = JSONOutput.rounded(search.p50Milliseconds, places: 2)
        searchP99 = JSONOutput.rounded(search.p99Milliseconds, places: 2)
        self.toolsListBytes = toolsListBytes
    }
}
