import Foundation
import SemsearchCore
import SemsearchBench
import SemsearchKit
import SemsearchTestSupport
import Testing

/// Quantized vector storage: codes round-trip within half a step, every format reads back, the
/// default index is smaller and ranks like fp16, and a conversion needs no re-embedding.
@Suite(.serialized) struct VectorFormatTests {
    /// Code widths of a 37-dim vector: uniform 4, 5 or 8 bits, and mixed as `compact` lays them out
    /// (8 bits leading) and with every width from 4 to 8 in turn.
    static let layouts: [[UInt8]] = [[UInt8](repeating: 4, count: 37), [UInt8](repeating: 5, count: 37), [UInt8](repeating: 8, count: 37),
                                     [UInt8](repeating: 8, count: 11) + [UInt8](repeating: 5, count: 26),
                                     (0..<37).map { UInt8(4 + $0 % 5) }]

    @Test(arguments: layouts) func codesRoundTripWithinHalfAStepAtAnyWidth(widths: [UInt8]) {
        // An odd width, so packed codes straddle bytes and the last byte is partly used.
        let width = widths.count
        var rng = SystemRandomNumberGenerator()
        let rows = (0..<(200 * width)).map { i in Float.random(in: -1...1, using: &rng) * Float(i % width + 1) / Float(width) }
        let quantizer = VectorQuantizer.fit(rows: rows, widths: widths)
        #expect(quantizer.codeBytes == (widths.reduce(0) { $0 + Int($1) } + 7) / 8)
        #expect(quantizer.prefixBytes(dim: 11) == (widths.prefix(11).reduce(0) { $0 + Int($1) } + 7) / 8)
        for row in 0..<200 {
            let vector = Array(rows[(row * width)..<((row + 1) * width)])
            let codes = quantizer.encode(vector)
            #expect(codes.count == quantizer.codeBytes)
            var decoded = [Float](repeating: .nan, count: width)
            codes.withUnsafeBytes { raw in decoded.withUnsafeMutableBufferPointer { quantizer.decode(raw.baseAddress!, count: width, into: $0.baseAddress!) } }
            for i in 0..<width {
                let low = quantizer.low[i], high = low + quantizer.step[i] * Float((1 << Int(widths[i])) - 1)
                // Inside the fitted range a value comes back within half a step; outside, clipped to the range.
                let expected = min(max(vector[i], low), high)
                #expect(abs(decoded[i] - expected) <= quantizer.step[i] / 2 + 1e-6, "widths \(widths[i]) row \(row) dim \(i)")
            }
        }
    }

    @Test func aLayerPredictedFromTheDeeperOneRoundsLessAndDecodesThroughItsChain() {
        // Two layers whose dimensions follow each other, as a transformer's residual stream makes them.
        let width = 48, count = 3000
        var rng = SplitMix64(seed: 7)
        func normal() -> Float { Float((0..<4).map { _ in Double(rng.next() % 1_000_000) / 1_000_000 }.reduce(0, +) - 2) }
        let deep = (0..<(count * width)).map { _ in normal() }
        let shallow = deep.enumerated().map { index, value in 0.9 * value * Float(1 + index % 3) + 0.3 * normal() }
        let quantizers = LayerQuantizers.fit(samples: [2: deep, 1: shallow], layers: [1, 2], format: .compact, width: width, fittedOn: count)
        #expect(quantizers[1]?.prediction?.baseLayer == 2 && quantizers[2]?.prediction == nil)
        #expect(quantizers.chain(of: 1) == [1, 2] && quantizers.chain(of: 2) == [2])
        // The same code widths without the prediction.
        let plain = VectorQuantizer.fit(rows: shallow, widths: quantizers[1]!.widths)
        var predictedError: Float = 0, plainError: Float = 0
        for row in 0..<count {
            let d = Array(deep[(row * width)..<((row + 1) * width)]), s = Array(shallow[(row * width)..<((row + 1) * width)])
            let blobs = quantizers.encode(layers: [1, 2], vectors: [s, d])
            #expect(blobs[1]?.count == quantizers[1]!.codeBytes && blobs[2]?.count == width)
            let decoded = quantizers.decode(blobs: blobs.mapValues { $0 }, width: width)
            var back = [Float](repeating: 0, count: width)
            plain.encode(s).withUnsafeBytes { raw in back.withUnsafeMutableBufferPointer { plain.decode(raw.baseAddress!, count: width, into: $0.baseAddress!) } }
            for i in 0..<width {
                predictedError += (decoded[1]![i] - s[i]) * (decoded[1]![i] - s[i])
                plainError += (back[i] - s[i]) * (back[i] - s[i])
                #expect(abs(decoded[2]![i] - d[i]) <= quantizers[2]!.step[i] / 2 + 1e-6)
            }
        }
        // The residual spans about a third of the range, so it rounds to about a third of the error.
        #expect(predictedError < 0.5 * plainError, "\(predictedError) vs \(plainError)")
        // Without its base a predicted layer's codes cannot be read.
        let blobs = quantizers.encode(layers: [1, 2], vectors: [Array(shallow[0..<width]), Array(deep[0..<width])])
        #expect(quantizers.decode(blobs: [1: blobs[1]!], width: width)[1] == nil)
    }

    @Test func theDefaultIndexIsCompactRanksLikeFp16AndConvertsBothWays() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let topics = ["rivers flowing into deltas", "baking sourdough bread at home", "sorting algorithms in computer science",
                      "mountain weather and storms", "filing tax returns on time", "training for a marathon"]
        for i in 0..<120 {
            try "Note \(i) is about \(topics[i % topics.count]), with detail \(i * 7 % 13).".write(
                to: docs.appendingPathComponent("n\(i).txt"), atomically: true, encoding: .utf8)
        }
        func build(_ name: String, _ format: VectorFormat?) throws -> IndexStore {
            let store = try SQLiteIndexStore(path: root.appendingPathComponent(name).path, create: true)
            var options = IndexOptions()
            options.vectorFormat = format
            let summary = try Indexer(store: store, model: TestSupport.model, options: options).index(roots: [docs.path])
            #expect(summary.vectorFormat == format ?? VectorFormat.defaultFormat)
            return store
        }
        let half = try build("fp16.sqlite", .fp16), compact = try build("compact.sqlite", nil)
        #expect(try half.vectorBytes().perChunk == 6 * 384 * 2)
        #expect(try compact.vectorBytes().perChunk == 384 + 5 * (64 + 320 * 5 / 8), "int8 at layer 6; 8 bits for 64 dims, 5 for the rest below")
        let quantizers = try compact.vectorQuantizers()
        #expect(quantizers[6]?.bits == 8)
        for layer in 1...5 {
            #expect(quantizers[layer]?.widths == [UInt8](repeating: 8, count: 64) + [UInt8](repeating: 5, count: 320), "layer \(layer)")
        }
        #expect(try compact.statistics().databaseBytes < half.statistics().databaseBytes)

        let queries = ["where do rivers end", "how to bake bread", "quicksort and mergesort", "storm in the alps", "tax deadline"]
        func top(_ store: IndexStore, layer: Int, dim: Int) throws -> [[Int64]] {
            let searcher = try Searcher(store: store, model: TestSupport.model)
            var options = SearchOptions()
            options.layer = layer
            options.dim = dim
            options.hybrid = false  // the vectors' ranking is what a format may change
            return try queries.map { try searcher.search($0, options: options).results.prefix(5).map(\.chunk.id) }
        }
        // Notes of one topic are near-duplicates, so the best result's topic is what must hold.
        func bestTopics(_ store: IndexStore, _ ranked: [[Int64]]) throws -> [Int?] {
            let chunks = try store.chunks(ids: ranked.compactMap(\.first))
            return ranked.map { $0.first.flatMap { chunks[$0] }.flatMap { Int($0.path.split(separator: "/").last!.dropFirst().dropLast(4)) }.map { $0 % 6 } }
        }
        // Same chunks on both sides: files were indexed in the same order into fresh databases.
        for (layer, dim) in [(6, 384), (6, 64), (2, 128)] {
            let a = try top(half, layer: layer, dim: dim), b = try top(compact, layer: layer, dim: dim)
            let overlap = zip(a, b).map { Set($0).intersection($1).count }.reduce(0, +)
            #expect(Double(overlap) / Double(5 * queries.count) >= 0.8, "L\(layer)/d\(dim): \(overlap) of 25")
            // At the full cell every best topic holds; in the early, narrow cell near-ties between
            // near-duplicate notes may flip one query.
            let same = zip(try bestTopics(half, a), try bestTopics(compact, b)).filter { $0 == $1 }.count
            #expect(same >= (layer == 6 && dim == 384 ? queries.count : queries.count - 1), "the best result's topic holds at L\(layer)/d\(dim): \(same) of \(queries.count)")
        }

        // In place, without re-embedding: fp16 → int8 → fp16.
        try VectorCompaction.apply(store: half, format: .int8, layers: [1, 2, 3, 4, 5, 6], width: 384)
        #expect(try half.vectorBytes().perChunk == 6 * 384)
        #expect(try bestTopics(half, top(half, layer: 6, dim: 384)) == bestTopics(compact, top(compact, layer: 6, dim: 384)))
        try VectorCompaction.apply(store: half, format: .fp16, layers: [1, 2, 3, 4, 5, 6], width: 384)
        #expect(try half.vectorBytes().perChunk == 6 * 384 * 2 && half.vectorQuantizers().isEmpty)
        // Quantizers of another layout (as an older semsearch compacted, 5 bits throughout) are
        // refitted to the format's on the next compaction.
        try VectorCompaction.apply(store: half, format: .int4, layers: [1, 2, 3, 4, 5, 6], width: 384)
        let refit = try VectorCompaction.apply(store: half, format: .compact, layers: [1, 2, 3, 4, 5, 6], width: 384)
        #expect(refit.rewrittenLayers == [1, 2, 3, 4, 5, 6])
        #expect(try half.vectorBytes().perChunk == compact.vectorBytes().perChunk)
        #expect(try half.vectorQuantizers().mapValues(\.widths) == compact.vectorQuantizers().mapValues(\.widths))

        // An IVF index of a compact index keeps its lists in 8-bit codes, and ranks like the exact scan.
        var ivfOptions = IndexOptions()
        ivfOptions.ivf = .lists(4)
        _ = try Indexer(store: compact, model: TestSupport.model, options: ivfOptions).index(roots: [docs.path])
        #expect(try compact.vectorQuantizers()[0]?.bits == 8, "the lists' quantizer")
        let withIVF = try Searcher(store: compact, model: TestSupport.model)
        var probeAll = SearchOptions()
        probeAll.method = .ivf(nprobe: 4)
        var exactly = SearchOptions()
        exactly.method = .exact
        for query in queries {
            let probed = try withIVF.search(query, options: probeAll), scanned = try withIVF.search(query, options: exactly)
            #expect(probed.method.vectors == .ivf(probes: 4, lists: 4))
            #expect(Set(probed.results.prefix(5).map(\.chunk.id)).intersection(scanned.results.prefix(5).map(\.chunk.id)).count >= 4, "\(query)")
        }

        // Deleting files deletes their vectors through the primary key.
        for i in 0..<60 { try FileManager.default.removeItem(at: docs.appendingPathComponent("n\(i).txt")) }
        var options = IndexOptions()
        options.vectorFormat = .compact
        _ = try Indexer(store: compact, model: TestSupport.model, options: options).index(roots: [docs.path])
        #expect(try compact.vectorCount(layer: 6) == 60 && compact.vectorCount(layer: 1) == 60)
    }

    @Test func aSignCodeShortlistHoldsTheExactNeighboursAndQuantizedRowsScoreClose() {
        let dim = 128, count = 4000
        let all = SyntheticVectors.clustered(count: count + 20, dim: dim, clusters: 8)
        let rows = Array(all[0..<(count * dim)])
        let signs = SignCodes(rows: rows, dim: dim), codes = QuantizedRows(rows: rows, dim: dim)
        #expect(signs.bytes == count * 2 * 8 && codes.bytes == count * dim)
        var found = 0
        for q in 0..<20 {
            let query = Array(all[((count + q) * dim)..<((count + q + 1) * dim)])
            let exact = (0..<count).map { row in zip(query, rows[(row * dim)..<((row + 1) * dim)]).map(*).reduce(0, +) }
            let truth = Set(TopK.select(exact, k: 10))
            // Hamming distances agree with a bit-by-bit count.
            let code = SignCodes.code(query), distances = signs.distances(code)
            let row = q * 17
            let naive = (0..<dim).filter { (query[$0] > 0) != (rows[row * dim + $0] > 0) }.count
            #expect(Int(distances[row]) == naive)
            // Every kernel this CPU has (AVX-512 VPOPCNTDQ, POPCNT, portable C) gives the same distances.
            for kernel: Int32 in [0, 1, 2] { #expect(signs.distances(code, kernel: kernel) == distances, "kernel \(kernel)") }
            found += truth.intersection(signs.shortlist(query, size: 400)).count
            let approximate = codes.scores(query)
            #expect(zip(exact, approximate).allSatisfy { abs($0 - $1) < 0.02 })
        }
        #expect(Double(found) / 200 >= 0.95, "the shortlist (10% of rows) holds \(found) of the 200 exact neighbours")
    }

    @Test func aLargeCellShortlistsBySignBitsAndKeepsTheExactTopTenAndPathFilters() {
        let dim = 128, count = 20_000
        let all = SyntheticVectors.clustered(count: count + 20, dim: dim, clusters: 20)
        // Files of 100 chunks each; every other file is allowed in the filtered searches.
        let vectors = StoredVectors(dim: dim, chunkIDs: (1...Int64(count)).map { $0 }, fileIDs: (0..<count).map { Int64($0 / 100) },
                                    matrix: Array(all[0..<(count * dim)]))
        let shortlisting = FlatIndex(vectors, shortlistFrom: 10_000), exact = FlatIndex(vectors)
        #expect(shortlisting.shortlistSize(k: 10) == 2000 && exact.shortlistSize(k: 10) == nil)
        let allowed = Set(stride(from: Int64(0), to: Int64(count / 100), by: 2))
        var kept = 0, keptFiltered = 0
        for q in 0..<20 {
            let query = Array(all[((count + q) * dim)..<((count + q + 1) * dim)])
            let truth = Set(exact.search(query, k: 10).map(\.chunkID))
            kept += truth.intersection(shortlisting.search(query, k: 10).map(\.chunkID)).count
            #expect(Set(shortlisting.search(query, k: 10, exact: true).map(\.chunkID)) == truth)
            let filtered = shortlisting.search(query, k: 10, allowedFiles: allowed)
            #expect(filtered.count == 10 && filtered.allSatisfy { allowed.contains(($0.chunkID - 1) / 100) })
            keptFiltered += Set(exact.search(query, k: 10, allowedFiles: allowed).map(\.chunkID)).intersection(filtered.map(\.chunkID)).count
        }
        #expect(kept >= 195 && keptFiltered >= 195, "the shortlist keeps \(kept) and \(keptFiltered) of 200 exact results")
    }
}
