import SemsearchKit
import CBLAS
import Foundation
import SemsearchCore
import SemsearchEncoder

/// Speed, memory and recall of searching one set of unit vectors in each in-memory format,
/// against an fp32 exact ranking (BLAS) as ground truth:
/// - `fp16`: today's exact scan (``FlatIndex``);
/// - `int8`: a scan over 8-bit codes (``QuantizedRows``), its best `rescored` rows rescored in fp16;
/// - `binary`: a Hamming shortlist over sign bits (``SignCodes``), rescored in fp16.
public enum CompactSearchBenchmark {
    /// One format's figures.
    public struct Row: Sendable {
        public var format: String
        /// Bytes a vector takes in memory: the codes scanned first plus the fp16 rows rescoring reads.
        public var bytesPerVector: Double
        public var recallAtK: Double
        public var latency: LatencySummary
        /// Shortlist size (binary only).
        public var shortlist: Int?
    }

    /// The exact top `k` rows of each query in fp32 (blocks of rows through `sgemm`).
    public static func truth(rows: [Float], dim: Int, queries: [[Float]], k: Int) -> [Set<Int>] {
        let count = rows.count / dim, block = 65_536
        var best = [[(row: Int, score: Float)]](repeating: [], count: queries.count)
        let queryMatrix = queries.flatMap { $0 }
        var scores = [Float](repeating: 0, count: queries.count * block)
        for start in stride(from: 0, to: count, by: block) {
            let n = min(block, count - start)
            rows.withUnsafeBufferPointer { r in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queries.count), Int32(n), Int32(dim), 1,
                            queryMatrix, Int32(dim), r.baseAddress! + start * dim, Int32(dim), 0, &scores, Int32(n))
            }
            for q in 0..<queries.count {
                var candidates = best[q]
                for i in 0..<n { candidates.append((start + i, scores[q * n + i])) }
                candidates.sort { $0.score > $1.score }
                best[q] = Array(candidates.prefix(k))
            }
        }
        return best.map { Set($0.map(\.row)) }
    }

    /// Times every query in each of `formats` (`fp16`, `int8`, `binary`).
    public static func run(rows: [Float], dim: Int, queries: [[Float]], k: Int, formats: [String], shortlist: Int,
                           rescored: Int = 100, threads: Int, log: (String) -> Void = { _ in }) -> [Row] {
        let count = rows.count / dim
        log("exact fp32 ranking of \(queries.count) queries as the reference")
        let truth = truth(rows: rows, dim: dim, queries: queries, k: k)
        func recall(_ found: [Int], _ q: Int) -> Double {
            Double(found.filter { truth[q].contains($0) }.count) / Double(max(1, truth[q].count))
        }
        var out: [Row] = []
        let quantized = formats.contains("int8") ? QuantizedRows(rows: rows, dim: dim) : nil
        let half = HalfVectorMatrix(rows: rows, dim: dim)
        for format in formats {
            var times: [Double] = [], total = 0.0
            switch format {
            case "fp16":
                let flat = FlatIndex(StoredVectors(dim: dim, chunkIDs: (0..<Int64(count)).map { $0 }, fileIDs: [Int64](repeating: 0, count: count), matrix: rows), shortlistFrom: .max)
                for (q, query) in queries.enumerated() {
                    let started = ResourceUsage.now()
                    let hits = flat.search(query, k: k, threads: threads)
                    times.append((ResourceUsage.now() - started) * 1000)
                    total += recall(hits.map { Int($0.chunkID) }, q)
                }
                out.append(Row(format: format, bytesPerVector: Double(2 * dim), recallAtK: total / Double(queries.count), latency: LatencySummary(milliseconds: times)))
            case "int8":
                guard let quantized else { continue }
                for (q, query) in queries.enumerated() {
                    let started = ResourceUsage.now()
                    let candidates = TopK.select(quantized.scores(query, threads: threads), k: max(k, rescored))
                    let top = rescore(candidates, query: query, rows: half, k: k)
                    times.append((ResourceUsage.now() - started) * 1000)
                    total += recall(top, q)
                }
                out.append(Row(format: format, bytesPerVector: Double(dim + 2 * dim), recallAtK: total / Double(queries.count),
                               latency: LatencySummary(milliseconds: times), shortlist: rescored))
            case "binary":
                log("packing sign codes")
                let signs = SignCodes(rows: rows, dim: dim)
                for (q, query) in queries.enumerated() {
                    let started = ResourceUsage.now()
                    let top = rescore(signs.shortlist(query, size: shortlist, threads: threads), query: query, rows: half, k: k)
                    times.append((ResourceUsage.now() - started) * 1000)
                    total += recall(top, q)
                }
                out.append(Row(format: format, bytesPerVector: Double(signs.words * 8 + 2 * dim), recallAtK: total / Double(queries.count),
                               latency: LatencySummary(milliseconds: times), shortlist: shortlist))
            default: continue
            }
        }
        return out
    }

    /// The best `k` of `candidates` by their fp16 rows, best first.
    public static func rescore(_ candidates: [Int], query: [Float], rows: HalfVectorMatrix, k: Int) -> [Int] {
        TopK.select(rows.scores(query, rows: candidates), k: k).map { candidates[$0] }
    }
}
