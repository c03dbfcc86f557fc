import CPUFeatures
import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// The int8 encoder path: every kernel this CPU has gives the portable kernel's integer sums on
/// awkward shapes, and whole models stay within stated cosine bounds of the fp32 reference.
@Suite struct Int8EncoderTests {
    /// A deterministic matrix with one outlier channel 100 times the rest, as EmbeddingGemma's
    /// activations have (`bench embed --outliers`).
    func matrix(rows: Int, columns: Int, seed: UInt64, outlierColumn: Int? = nil) -> [Float] {
        var state = seed
        return (0..<(rows * columns)).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
            return i % columns == outlierColumn ? value * 100 : value
        }
    }

    func product(kernel: Int32, a: [Float], m: Int, k: Int, w: [Float], n: Int, accumulateOnto c0: [Float]?, limit: Int32 = 0) -> [Float] {
        var packedW = [Int16](repeating: 0, count: semsearch_int8_packed_weights_count(n, k))
        var scales = [Float](repeating: 0, count: semsearch_int8_weight_scales_count(n))
        semsearch_int8_pack_weights(w, n, k, &packedW, &scales)
        var packedA = [Int16](repeating: 0, count: semsearch_int8_packed_rows_count(m, k))
        var rowScales = [Float](repeating: 0, count: m)
        semsearch_int8_quantize_rows(kernel, a, m, k, k, limit, &packedA, &rowScales)
        var c = c0 ?? [Float](repeating: .nan, count: m * n)
        semsearch_int8_gemm(kernel, packedA, rowScales, m, k, packedW, scales, n, 0, .max, &c, n, c0 == nil ? 0 : 1)
        return c
    }

    @Test(arguments: [(1, 1, 1), (5, 17, 3), (6, 16, 8), (13, 33, 29), (7, 48, 384), (61, 100, 1152)])
    func everyKernelGivesThePortableSums(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = matrix(rows: m, columns: k, seed: 1, outlierColumn: k / 2)
        let w = matrix(rows: n, columns: k, seed: 2)
        let bias = matrix(rows: m, columns: n, seed: 3)
        let best = semsearch_int8_kernel()
        print("int8 kernels on this CPU: 0…\(best)")
        for accumulate in [false, true] {
            let portable = product(kernel: 0, a: a, m: m, k: k, w: w, n: n, accumulateOnto: accumulate ? bias : nil)
            #expect(!portable.contains { $0.isNaN }, "the portable kernel left entries unwritten")
            for kernel in 1...max(1, best) where kernel <= best {
                let vector = product(kernel: kernel, a: a, m: m, k: k, w: w, n: n, accumulateOnto: accumulate ? bias : nil)
                let worst = zip(portable, vector).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
                #expect(worst <= 1e-6, "kernel \(kernel) vs portable on \(m)×\(n)×\(k) (accumulate \(accumulate)): \(worst)")
            }
            // Against the exact fp32 product: per-channel int8 weights and 16-bit activations keep
            // every entry within 2% of the row's scale despite the outlier column.
            for r in 0..<m {
                var exact = [Float](repeating: 0, count: n)
                for j in 0..<n {
                    exact[j] = (accumulate ? bias[r * n + j] : 0) + (0..<k).reduce(Float(0)) { $0 + a[r * k + $1] * w[j * k + $1] }
                }
                let scale = max(1, exact.map(abs).max() ?? 1)
                let error = (0..<n).map { abs(exact[$0] - portable[r * n + $0]) }.max() ?? 0
                #expect(error <= 0.02 * scale, "row \(r) of \(m)×\(n)×\(k): error \(error) at scale \(scale)")
            }
        }
    }

    /// The byte kernel (8-bit activations stored as q + 128, `vpdpbusd`) on the same shapes, split
    /// into panel ranges as threads split it.
    /// W packed in quads as both VNNI kernels read it: the bytes, the channel scales and weight sums.
    func quadWeights(_ w: [Float], n: Int, k: Int) -> (packed: [Int8], scales: [Float], sums: [Int32]) {
        let channels = semsearch_int8_weight_scales_count(n)
        var packed = [Int8](repeating: 0, count: semsearch_int8_packed_weight_quads_size(n, k))
        var scales = [Float](repeating: 0, count: channels)
        var sums = [Int32](repeating: 0, count: channels)
        semsearch_int8_pack_weight_quads(w, n, k, &packed, &scales, &sums)
        return (packed, scales, sums)
    }

    func byteProduct(a: [Float], m: Int, k: Int, w: [Float], n: Int, accumulateOnto c0: [Float]?, bias: [Float]? = nil) -> [Float] {
        let channels = semsearch_int8_weight_scales_count(n)
        let (packedW, scales, sums) = quadWeights(w, n: n, k: k)
        var packedA = [UInt8](repeating: 0, count: semsearch_int8_packed_byte_rows_size(m, k))
        var rowScales = [Float](repeating: 0, count: m)
        semsearch_int8_quantize_byte_rows(a, m, k, k, &packedA, &rowScales)
        var c = c0 ?? [Float](repeating: .nan, count: m * n)
        let panels = channels / Int(SEMSEARCH_INT8_PANEL), middle = panels / 2 * 2
        let channelBias = bias ?? []
        channelBias.withUnsafeBufferPointer { b in
            let bias = channelBias.isEmpty ? nil : b.baseAddress
            semsearch_int8_byte_gemm(packedA, rowScales, m, k, packedW, scales, sums, n, 0, middle, &c, n, c0 == nil ? 0 : 1, bias)
            semsearch_int8_byte_gemm(packedA, rowScales, m, k, packedW, scales, sums, n, middle, panels, &c, n, c0 == nil ? 0 : 1, bias)
        }
        return c
    }

    @Test(arguments: [(1, 1, 1), (5, 17, 3), (6, 16, 8), (7, 48, 5), (13, 33, 29), (7, 48, 384), (61, 100, 1152), (12, 1536, 384)])
    func theByteKernelGivesTheSixteenBitSumsAtLimit127(shape: (Int, Int, Int)) {
        guard semsearch_int8_byte_kernel_available() != 0 else {
            print("skipped: this CPU has no AVX-512 VNNI (or SEMSEARCH_INT8_KERNEL caps it), so the byte kernel never runs")
            return
        }
        let (m, n, k) = shape
        let a = matrix(rows: m, columns: k, seed: 4, outlierColumn: k / 3)
        let w = matrix(rows: n, columns: k, seed: 5)
        let bias = matrix(rows: m, columns: n, seed: 6)
        for accumulate in [false, true] {
            let portable = product(kernel: 0, a: a, m: m, k: k, w: w, n: n, accumulateOnto: accumulate ? bias : nil, limit: 127)
            let bytes = byteProduct(a: a, m: m, k: k, w: w, n: n, accumulateOnto: accumulate ? bias : nil)
            #expect(!bytes.contains { $0.isNaN }, "the byte kernel left entries unwritten on \(m)×\(n)×\(k)")
            #expect(bytes == portable, "byte vs portable at limit 127 on \(m)×\(n)×\(k) (accumulate \(accumulate))")
            // The epilogue's bias: the same product, plus the bias after whatever C held.
            let channelBias = matrix(rows: 1, columns: n, seed: 10)
            let biased = byteProduct(a: a, m: m, k: k, w: w, n: n, accumulateOnto: accumulate ? bias : nil, bias: channelBias)
            #expect(biased == bytes.indices.map { bytes[$0] + channelBias[$0 % n] }, "bias epilogue on \(m)×\(n)×\(k) (accumulate \(accumulate))")
        }
    }

    /// The block kernel against the sums it should compute, in Double: each row quantized in blocks
    /// of 32 (q = round-half-even(a · 127 / max|a| over the block)), the weights per channel and
    /// block of 32 as `semsearch_int8_quantize_weight_row` gives them, Σ over blocks of both block
    /// scales times the exact integer sum. The outlier column costs only its own block, so over the
    /// whole product the squared error to fp32 is no larger than with one scale per token and
    /// channel (`semsearch_int8_quantize_rows` at limit 127), the weights having an outlier column too.
    @Test(arguments: [(1, 1, 1), (5, 17, 3), (6, 16, 8), (7, 48, 33), (13, 33, 64), (7, 48, 384), (61, 100, 1152), (12, 1536, 384)])
    func theBlockKernelGivesTheBlockScaledSums(shape: (Int, Int, Int)) {
        guard semsearch_int8_byte_kernel_available() != 0 else {
            print("skipped: this CPU has no AVX-512 VNNI (or SEMSEARCH_INT8_KERNEL caps it), so the block kernel never runs")
            return
        }
        let (m, n, k) = shape
        let a = matrix(rows: m, columns: k, seed: 7, outlierColumn: k / 3)
        let w = matrix(rows: n, columns: k, seed: 8, outlierColumn: 2 * k / 3)
        let bias = matrix(rows: m, columns: n, seed: 9)
        let channels = semsearch_int8_weight_scales_count(n)
        var packedW = [Int8](repeating: 0, count: semsearch_int8_packed_weight_quads_size(n, k))
        var scales = [Float](repeating: .nan, count: semsearch_int8_block_weights_count(n, k))
        var blockSums = [Int32](repeating: 0, count: semsearch_int8_block_weights_count(n, k))
        semsearch_int8_pack_weight_blocks(w, n, k, &packedW, &scales, &blockSums)
        var packedA = [UInt8](repeating: 0, count: semsearch_int8_packed_byte_rows_size(m, k))
        var blockScales = [Float](repeating: .nan, count: semsearch_int8_block_scales_count(m, k))
        semsearch_int8_quantize_byte_blocks(a, m, k, k, Int32(SEMSEARCH_INT8_INPUT_AS_IS), &packedA, &blockScales)
        let block = Int(SEMSEARCH_INT8_K_BLOCK)
        // Each channel's weights quantized block by block: the scale of channel j's block b at j · blocks + b.
        let blocks = (k + block - 1) / block
        var quantizedW = [Int8](repeating: 0, count: n * k), weightScales = [Float](repeating: 0, count: n * blocks)
        for j in 0..<n {
            for b in 0..<blocks {
                let start = j * k + b * block, end = j * k + min(k, (b + 1) * block)
                weightScales[j * blocks + b] = quantizedW.withUnsafeMutableBufferPointer {
                    semsearch_int8_quantize_weight_row(Array(w[start..<end]), end - start, $0.baseAddress! + start)
                }
            }
        }
        let perToken = product(kernel: 0, a: a, m: m, k: k, w: w, n: n, accumulateOnto: nil, limit: 127)
        for accumulate in [false, true] {
            var blockSquares = 0.0, tokenSquares = 0.0
            var c = accumulate ? bias : [Float](repeating: .nan, count: m * n)
            let panels = channels / Int(SEMSEARCH_INT8_PANEL), middle = panels / 2 * 2
            for range in [0..<middle, middle..<panels] {
                semsearch_int8_byte_block_gemm(packedA, blockScales, m, k, packedW, scales, blockSums, n, range.lowerBound, range.upperBound,
                                               &c, n, accumulate ? 1 : 0, nil)
            }
            #expect(!c.contains { $0.isNaN }, "the block kernel left entries unwritten on \(m)×\(n)×\(k)")
            for r in 0..<m {
                var expected = [Double](repeating: 0, count: n), exact = [Double](repeating: 0, count: n)
                for start in stride(from: 0, to: k, by: block) {
                    let values = a[(r * k + start)..<(r * k + min(k, start + block))]
                    let largest = values.map(abs).max() ?? 0
                    let inverse: Float = largest > 0 ? 127 / largest : 0, scale = largest > 0 ? largest / 127 : 0
                    let q = values.map { Int(($0 * inverse).rounded(.toNearestOrEven)) }
                    for j in 0..<n {
                        let dot = q.indices.reduce(0) { $0 + q[$1] * Int(quantizedW[j * k + start + $1]) }
                        expected[j] += Double(scale) * Double(weightScales[j * blocks + start / block]) * Double(dot)
                    }
                }
                for j in 0..<n {
                    expected[j] += accumulate ? Double(bias[r * n + j]) : 0
                    exact[j] = (accumulate ? Double(bias[r * n + j]) : 0) + (0..<k).reduce(0.0) { $0 + Double(a[r * k + $1]) * Double(w[j * k + $1]) }
                }
                let rowScale = max(1, exact.map(abs).max() ?? 1)
                let kernelError = (0..<n).map { abs(expected[$0] - Double(c[r * n + $0])) }.max() ?? 0
                #expect(kernelError <= 1e-5 * rowScale, "row \(r) of \(m)×\(n)×\(k) (accumulate \(accumulate)): \(kernelError) off the block sums")
                for j in 0..<n {
                    let bias = accumulate ? Double(bias[r * n + j]) : 0
                    blockSquares += (exact[j] - Double(c[r * n + j])) * (exact[j] - Double(c[r * n + j]))
                    tokenSquares += (exact[j] - bias - Double(perToken[r * n + j])) * (exact[j] - bias - Double(perToken[r * n + j]))
                }
            }
            #expect(blockSquares <= tokenSquares * 1.0001 + 1e-9, "\(m)×\(n)×\(k): blocks \(blockSquares) vs one scale per token \(tokenSquares)")
            if accumulate { print("block kernel on \(m)×\(n)×\(k): squared error to fp32 \(blockSquares / max(tokenSquares, 1e-30)) of one scale per token's") }
        }
    }

    /// The 16-bit quantizer's GELU (AVX2) gives the pairs and scales of the eight-lane C GELU applied
    /// as a pass of its own first, and leaves GELU(A) in A, on widths with and without a partial vector.
    @Test(arguments: [(1, 1), (3, 31), (7, 33), (13, 1536)])
    func theSixteenBitQuantizerAppliesGELUAsAPassWould(shape: (Int, Int)) {
        guard semsearch_int8_kernel() >= 1 else {
            print("skipped: this CPU has no AVX2 and FMA (or SEMSEARCH_INT8_KERNEL is 0), so the 16-bit quantizer never applies GELU")
            return
        }
        let (m, k) = shape
        let a = matrix(rows: m, columns: k, seed: 12, outlierColumn: k / 2).map { $0 * 3 }
        var activated = a
        activated.withUnsafeMutableBufferPointer { semsearch_gelu_eight_lanes($0.baseAddress!, $0.count) }
        for limit: Int32 in [127, 0] {
            var fusedRows = a
            var fused = [Int16](repeating: 7, count: semsearch_int8_packed_rows_count(m, k))
            var fusedScales = [Float](repeating: .nan, count: m)
            semsearch_int8_quantize_gelu_rows(&fusedRows, m, k, k, limit, &fused, &fusedScales)
            var separate = [Int16](repeating: 7, count: semsearch_int8_packed_rows_count(m, k))
            var separateScales = [Float](repeating: .nan, count: m)
            semsearch_int8_quantize_rows(1, activated, m, k, k, limit, &separate, &separateScales)
            #expect(fusedRows == activated, "A holds GELU(A) afterwards on \(m)×\(k)")
            #expect(fused == separate, "pairs of GELU(A) on \(m)×\(k), limit \(limit)")
            #expect(fusedScales == separateScales, "row scales of GELU(A) on \(m)×\(k), limit \(limit)")
        }
        // (GELU(x) = x for a single large positive value, so 1×1 cannot tell.)
        #expect(activated != a || m * k == 1, "GELU changed nothing on \(m)×\(k)")
    }

    /// The block quantizer's GELU and GeGLU give the bytes and scales of the same sixteen-lane
    /// function applied as a pass of its own first, on row widths with and without a partial block.
    @Test(arguments: [(1, 1), (3, 31), (7, 33), (13, 1536)])
    func theBlockQuantizerAppliesTheActivationAsAPassWould(shape: (Int, Int)) {
        guard semsearch_int8_byte_kernel_available() != 0 else {
            print("skipped: this CPU has no AVX-512 VNNI (or SEMSEARCH_INT8_KERNEL caps it), so the block quantizer never runs")
            return
        }
        let (m, k) = shape
        let a = matrix(rows: m, columns: k, seed: 11, outlierColumn: k / 2).map { $0 * 3 }
        var activated = a
        activated.withUnsafeMutableBufferPointer { Kernels.gelu($0.baseAddress!, count: $0.count) }
        func quantized(_ rows: [Float], _ function: Int32, stride: Int? = nil) -> ([UInt8], [Float]) {
            var bytes = [UInt8](repeating: 0, count: semsearch_int8_packed_byte_rows_size(m, k))
            var scales = [Float](repeating: .nan, count: semsearch_int8_block_scales_count(m, k))
            semsearch_int8_quantize_byte_blocks(rows, m, k, stride ?? k, function, &bytes, &scales)
            return (bytes, scales)
        }
        let fused = quantized(a, Int32(SEMSEARCH_INT8_INPUT_GELU)), separate = quantized(activated, Int32(SEMSEARCH_INT8_INPUT_AS_IS))
        #expect(fused.0 == separate.0, "bytes of GELU(A) on \(m)×\(k)")
        #expect(fused.1 == separate.1, "block scales of GELU(A) on \(m)×\(k)")
        let asIs = quantized(a, Int32(SEMSEARCH_INT8_INPUT_AS_IS))
        // (GELU(x) = x for a single large positive value, so 1×1 cannot tell.)
        #expect(fused.0 != asIs.0 || fused.1 != asIs.1 || activated == a, "GELU changed nothing on \(m)×\(k)")

        // EmbeddingGemma's GeGLU: rows of [gate | up], 2k wide.
        let gateUp = matrix(rows: m, columns: 2 * k, seed: 12, outlierColumn: k / 2).map { $0 * 3 }
        var gated = [Float](repeating: 0, count: m * k)
        gated.withUnsafeMutableBufferPointer { Kernels.gatedGELU(gateUp, into: $0.baseAddress!, rows: m, width: k) }
        let fusedGated = quantized(gateUp, Int32(SEMSEARCH_INT8_INPUT_GATED_GELU_TANH), stride: 2 * k)
        let separateGated = quantized(gated, Int32(SEMSEARCH_INT8_INPUT_AS_IS))
        #expect(fusedGated.0 == separateGated.0, "bytes of GeGLU on \(m)×\(k)")
        #expect(fusedGated.1 == separateGated.1, "block scales of GeGLU on \(m)×\(k)")
    }

    /// Rows and blocks of values about 1e-38 (EmbeddingGemma's GeGLU gives them) quantize to zeros
    /// with scale 0 in every quantizer this CPU has, not to the garbage an infinite 127 / max gave,
    /// and the product stays what C held.
    @Test func tinyActivationsQuantizeToZero() {
        let m = 7, k = 64, n = 16
        var a = matrix(rows: m, columns: k, seed: 13).map { $0 * 1e-38 }
        a[5] = 0
        let w = matrix(rows: n, columns: k, seed: 14)
        let c0 = matrix(rows: m, columns: n, seed: 15)
        for kernel in Int32(0)...semsearch_int8_kernel() {
            let c = product(kernel: kernel, a: a, m: m, k: k, w: w, n: n, accumulateOnto: c0)
            #expect(c == c0, "16-bit kernel \(kernel) on 1e-38 rows")
        }
        guard semsearch_int8_byte_kernel_available() != 0 else {
            print("tinyActivationsQuantizeToZero: the byte quantizers are not checked: this CPU has no AVX-512 VNNI (or SEMSEARCH_INT8_KERNEL caps it)")
            return
        }
        #expect(byteProduct(a: a, m: m, k: k, w: w, n: n, accumulateOnto: c0) == c0, "per-token byte kernel on 1e-38 rows")
        var bytes = [UInt8](repeating: 0, count: semsearch_int8_packed_byte_rows_size(m, k))
        var scales = [Float](repeating: .nan, count: semsearch_int8_block_scales_count(m, k))
        semsearch_int8_quantize_byte_blocks(a, m, k, k, Int32(SEMSEARCH_INT8_INPUT_AS_IS), &bytes, &scales)
        #expect(bytes.allSatisfy { $0 == 128 } && scales.allSatisfy { $0 == 0 }, "block quantizer on 1e-38 rows")
    }

    @Test func activationsKeepAtLeastTwelveBitsAndCannotOverflow() {
        for k in [1, 384, 768, 1152, 1536, 3072, 4096] {
            let limit = Int(semsearch_int8_activation_limit(k))
            #expect(limit >= 2047 && limit <= 32767, "k \(k): \(limit)")
            #expect((k + 1) / 2 * 2 * limit * 127 <= Int(Int32.max), "k \(k) could overflow int32")
        }
    }

    @Test func miniLMInt8StaysWithinItsBoundOfTheReferenceAtEveryLayer() throws {
        let model = try EmbeddingModel.load(directory: TestSupport.model.descriptor.directory, precision: .int8)
        #expect(model.precision == .int8)
        let golden = try TestSupport.jsonLines("minilm-l6-embeddings.jsonl", as: GoldenEmbedding.self)
        let ids = golden.map { model.tokenizer.encode($0.text, maxLength: $0.max_length).ids }
        let embeddings = model.encoder.encode(ids, threads: 2)
        var worst = 1.0, sum = 0.0
        for (entry, embedding) in zip(golden, embeddings) {
            for layer in 1...model.layerCount {
                let cosine = VectorMath.cosine(embedding.raw(layer: layer), entry.mean_pooled_by_layer[layer - 1])
                worst = min(worst, cosine)
                // The lowest is the empty text ([CLS] [SEP] only) at layer 6: 0.9982 on VNNI with weights and
                // activations in blocks (0.9946 with one weight scale per channel), 0.9963 with the 16-bit
                // activations other CPUs run; texts with words stay above 0.998.
                let bound = entry.text.contains { $0.isLetter || $0.isNumber } ? 0.998 : 0.994
                #expect(cosine >= bound, "layer \(layer) of \(entry.text.prefix(40).debugDescription): cosine \(cosine)")
            }
            sum += VectorMath.cosine(embedding.final, entry.normalized_final)
        }
        let mean = sum / Double(golden.count)
        #expect(mean >= 0.999, "mean final cosine \(mean)")
        print("MiniLM int8: lowest per-layer cosine to the fp32 reference \(worst), mean final \(mean)")
    }

    @Test func aBatchSplitAcrossThreadsGivesTheSameVectorsAsOneThread() throws {
        let model = try EmbeddingModel.load(directory: TestSupport.model.descriptor.directory, precision: .int8)
        let ids = [model.tokenizer.encode(String(repeating: "rivers carry sediment to the delta ", count: 30)).ids]
        let two = model.encoder.encode(ids, threads: 2)[0], one = model.encoder.encode(ids, threads: 1)[0]
        #expect(two.pooled == one.pooled)
    }

    @Test func theIndexRemembersItsPrecisionAndRefusesAnother() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let docs = directory.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try "Rivers carry sediment to the delta.".write(to: docs.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let store = try SQLiteIndexStore(path: directory.appendingPathComponent("index.sqlite").path, create: true)
        let int8 = try EmbeddingModel.load(directory: TestSupport.model.descriptor.directory, precision: .int8)
        _ = try Indexer(store: store, model: int8, options: IndexOptions()).index(roots: [docs.path])
        #expect(try store.settings()?.precision == .int8)
        #expect {
            try Indexer(store: store, model: TestSupport.model, options: IndexOptions())
        } throws: { error in
            "\(error)".contains("--precision int8 → fp32")
        }
    }
}
