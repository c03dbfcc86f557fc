import SemsearchBench
import SemsearchKit

/// The line `semsearch bench search --json` prints.
struct SearchBenchmarkRecord: Encodable {
    /// Vectors searched and their width; the index's layer, or the synthetic centres.
    var vectors: Int
    var dim: Int
    var layer: Int?
    var clusters: Int?
    /// Exact search over every vector (absent with `--write-index`, and with `--vectors`, whose
    /// `formats` include fp16).
    var exact: Latency?
    /// IVF at each nprobe, measured against exact search.
    var ivf: [WithLatency<IVFRow>]
    /// Cold `semsearch search` processes, one query each (index benchmarks and `--write-index`).
    var process: ProcessTiming?
    /// Queries piped into one `semsearch search` process (index benchmarks only).
    var pipe: PipeTiming?
    /// With `--vectors`: each in-memory format against an fp32 exact ranking, and the process's peak
    /// RSS in MiB (2^20 bytes, though the key says mb).
    var formats: [WithLatency<FormatRow>]?
    var peakResidentMegabytes: Double?
    /// The popcount kernel the binary scan ran on: "AVX-512 VPOPCNTDQ", "POPCNT" or "portable C".
    var hammingKernel: String?
    /// With `--write-index`: the database's bytes and the seconds it took to build.
    var indexBytes: Int?
    var buildSeconds: Double?
    /// Index benchmarks: `Searcher.search` with a plain search's options on embedded queries, and
    /// how it ranked (`exact + bm25`, `server ivfflat probes 32/1000 + bm25` …).
    var searcher: WithLatency<MethodRow>?
    /// Index benchmarks on a store that searches the cell itself (PostgreSQL's IVFFlat index): its
    /// search alone, with recall@k against exact search.
    var server: WithLatency<ServerRow>?

    enum CodingKeys: String, CodingKey {
        case vectors, dim, layer, clusters, exact, ivf, process, pipe, formats, peakResidentMegabytes = "peak_rss_mb"
        case hammingKernel = "hamming_kernel", indexBytes = "index_bytes", buildSeconds = "build_s", searcher, server
    }

    struct MethodRow: Encodable {
        var method: String
    }

    /// The key `recall@10` holds recall at `-k` (10 by default).
    /// `recall@10`: against the server's own exact ranking, for the text queries;
    /// `neighbour_recall@10`: the same for queries drawn near stored vectors; `exact_agreement@10`:
    /// the share of `--exact`'s top k (the stored format) among the server's (``SearcherBenchmark``).
    struct ServerRow: Encodable {
        var method: String
        var recallAt10: Double
        var neighbourRecallAt10: Double
        var exactAgreementAt10: Double
        enum CodingKeys: String, CodingKey {
            case method, recallAt10 = "recall@10", neighbourRecallAt10 = "neighbour_recall@10", exactAgreementAt10 = "exact_agreement@10"
        }
    }

    /// One format: its bytes a vector, recall@k against fp32 exact, and shortlist (binary). The key
    /// `recall@10` holds recall at `-k` (10 by default).
    struct FormatRow: Encodable {
        var vectors: String
        var bytesPerVector: Double
        var recallAt10: Double
        var shortlist: Int?
        enum CodingKeys: String, CodingKey { case vectors, bytesPerVector = "bytes_per_vector", recallAt10 = "recall@10", shortlist }

        static func measured(_ row: CompactSearchBenchmark.Row) -> WithLatency<FormatRow> {
            WithLatency(row: FormatRow(vectors: row.format, bytesPerVector: row.bytesPerVector, recallAt10: JSONOutput.rounded(row.recallAtK),
                                       shortlist: row.shortlist),
                        latency: Latency(row.latency))
        }
    }

    /// A row with the latency fields beside its own, in one JSON object (as in `exact`).
    struct WithLatency<Row: Encodable>: Encodable {
        var row: Row
        var latency: Latency

        func encode(to encoder: Encoder) throws {
            try row.encode(to: encoder)
            try latency.encode(to: encoder)
        }
    }

    /// Milliseconds per query (p50, p99, three decimals) and queries per second.
    struct Latency: Encodable {
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var queriesPerSecond: Double
        enum CodingKeys: String, CodingKey { case p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms", queriesPerSecond = "qps" }

        init(_ latency: LatencySummary) {
            p50Milliseconds = JSONOutput.rounded(latency.p50Milliseconds, places: 3)
            p99Milliseconds = JSONOutput.rounded(latency.p99Milliseconds, places: 3)
            queriesPerSecond = JSONOutput.rounded(latency.queriesPerSecond, places: 1)
        }
    }

    /// IVF at one nprobe: recall@k of the exact top k, the mean share of vectors scored. The key
    /// `recall@10` holds recall at `-k` (10 by default).
    struct IVFRow: Encodable {
        var nlist: Int
        var nprobe: Int
        var recallAt10: Double
        var scannedFraction: Double
        enum CodingKeys: String, CodingKey { case nlist, nprobe, recallAt10 = "recall@10", scannedFraction = "scanned_fraction" }

        static func measured(_ row: IVFBenchmarkRow) -> WithLatency<IVFRow> {
            WithLatency(row: IVFRow(nlist: row.nlist, nprobe: row.nprobe, recallAt10: JSONOutput.rounded(row.recallAtK),
                                    scannedFraction: JSONOutput.rounded(row.scannedFraction, places: 5)),
                        latency: Latency(row.latency))
        }
    }

    /// Cold processes: how many, and their p50 and p99 wall time in milliseconds.
    struct ProcessTiming: Encodable {
        var runs: Int
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        enum CodingKeys: String, CodingKey { case runs, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms" }
    }

    /// One process answering `queries` queries from stdin: the total seconds and the share of each.
    struct PipeTiming: Encodable {
        var queries: Int
        var seconds: Double
        var perQueryMilliseconds: Double
        enum CodingKeys: String, CodingKey { case queries, seconds, perQueryMilliseconds = "per_query_ms" }
    }
}
