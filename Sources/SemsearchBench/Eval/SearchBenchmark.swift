import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Speed of exact and IVF search over one set of vectors, and IVF's recall against exact.
///
/// Both run the product's own code: `FlatIndex` (fp16 SIMD scan) and `IVFIndex` (centroids in
/// memory, probed lists read from SQLite).
public enum SearchBenchmark {
    /// Runs every query through exact search, then through IVF at each of `nprobes`.
    public static func run(flat: FlatIndex, ivf: IVFIndex?, queries: [[Float]], nprobes: [Int], k: Int = 10,
                           threads: Int = 2) throws -> (exact: LatencySummary, ivf: [IVFBenchmarkRow]) {
        var exactTimes: [Double] = []
        var truth: [Set<Int64>] = []
        for query in queries {
            let started = ResourceUsage.now()
            let hits = flat.search(query, k: k, threads: threads, exact: true)
            exactTimes.append((ResourceUsage.now() - started) * 1000)
            truth.append(Set(hits.map(\.chunkID)))
        }
        var rows: [IVFBenchmarkRow] = []
        if let ivf {
            for nprobe in nprobes where nprobe <= ivf.state.nlist {
                var times: [Double] = [], recall = 0.0, scanned = 0.0
                for (q, query) in queries.enumerated() {
                    let started = ResourceUsage.now()
                    let result = try ivf.search(query, nprobe: nprobe, k: k)
                    times.append((ResourceUsage.now() - started) * 1000)
                    recall += truth[q].isEmpty ? 1 : Double(result.hits.filter { truth[q].contains($0.chunkID) }.count) / Double(truth[q].count)
                    scanned += Double(result.scanned) / Double(max(1, flat.count))
                }
                let n = Double(queries.count)
                rows.append(IVFBenchmarkRow(nlist: ivf.state.nlist, nprobe: nprobe, recallAtK: recall / n,
                                            scannedFraction: scanned / n, latency: LatencySummary(milliseconds: times)))
            }
        }
        return (LatencySummary(milliseconds: exactTimes), rows)
    }

    /// nprobe values worth measuring for `nlist` lists: powers of two up to a quarter of the lists,
    /// plus the default.
    public static func probeLadder(nlist: Int) -> [Int] {
        var values = Set([IVFIndex.defaultProbes(nlist: nlist)])
        var p = 1
        while p <= max(1, nlist / 4) { values.insert(p); p *= 2 }
        return values.filter { $0 <= nlist }.sorted()
    }
}
