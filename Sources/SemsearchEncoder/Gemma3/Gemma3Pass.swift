import SemsearchCore
import CBLAS

/// One worker's Gemma 3 forward pass over a ragged batch (packed rows, no padding), bidirectional:
///
/// x = embed · √h; per layer: x += post_attn_norm(attention(input_norm(x))),
/// x += post_ff_norm(down(GELU_tanh(gate(n)) · up(n))) with n = pre_ff_norm(x).
/// Attention: grouped queries (all query heads of a group share one key/value head), RMSNorm on
/// each query and key head, rotary positions (local base on sliding layers, global on full ones),
/// scores scaled by `query_pre_attn_scalar^-½`.
///
/// After each layer l, `final_norm(x)` is mean-pooled per sequence; after the last, the head maps
/// every pooled vector at once (one GEMM per Dense module, for all sequences and layers).
final class Gemma3Pass: ForwardPass {
    private let configuration: Gemma3Configuration
    private let weights: Gemma3Weights
    private let head: DenseHead
    private let scratch: Int8Scratch
    private var capacity = 0
    private var hidden = FloatBuffer(count: 0)
    private var normed = FloatBuffer(count: 0)
    private var query = FloatBuffer(count: 0)
    private var keyValue = FloatBuffer(count: 0)
    private var context = FloatBuffer(count: 0)
    private var projected = FloatBuffer(count: 0)
    private var gateUp = FloatBuffer(count: 0)
    private var activated = FloatBuffer(count: 0)
    /// One group's scores for the sgemm path, or `fusedAttention`'s scratch.
    private var scores = FloatBuffer(count: 0)
    private var pooled = FloatBuffer(count: 0)
    /// The one-pass attention kernel for this head size, when the CPU has one; else sgemm and softmax.
    private let fusedAttention: FusedAttention?

    init(configuration: Gemma3Configuration, weights: Gemma3Weights, head: DenseHead, threads: Int) {
        scratch = Int8Scratch(threads: threads)
        self.configuration = configuration
        self.weights = weights
        self.head = head
        fusedAttention = FusedAttention(headSize: configuration.headSize)
    }

    private func reserve(tokens: Int, longest: Int, pooledRows: Int) {
        let c = configuration
        let h = c.hiddenSize, q = c.headCount * c.headSize, kv = c.keyValueHeadCount * c.headSize
        if tokens > capacity {
            capacity = tokens
            hidden = FloatBuffer(count: tokens * h)
            normed = FloatBuffer(count: tokens * h)
            query = FloatBuffer(count: tokens * q)
            keyValue = FloatBuffer(count: tokens * 2 * kv)
            context = FloatBuffer(count: tokens * q)
            projected = FloatBuffer(count: tokens * h)
            gateUp = FloatBuffer(count: tokens * 2 * c.intermediateSize)
            activated = FloatBuffer(count: tokens * c.intermediateSize)
        }
        let groupRows = (c.headCount / c.keyValueHeadCount) * longest
        let scoreCount = fusedAttention?.scratchCount(keyCount: longest) ?? groupRows * longest
        if scoreCount > scores.count { scores = FloatBuffer(count: scoreCount) }
        if pooledRows * h > pooled.count { pooled = FloatBuffer(count: pooledRows * h) }
    }

    func run(_ sequences: ArraySlice<[Int32]>, poolRanges: ArraySlice<Range<Int>>?, depth: Int, output: UnsafeMutablePointer<Float>) {
        let c = configuration
        let h = c.hiddenSize
        let lengths = sequences.map(\.count)
        let tokens = lengths.reduce(0, +)
        reserve(tokens: tokens, longest: lengths.max() ?? 0, pooledRows: sequences.count * depth)

        var row = 0
        for ids in sequences {
            for id in ids {
                let out = hidden.pointer + row * h
                weights.embeddings.row(Int(id), into: out)
                for j in 0..<h { out[j] *= weights.embeddingScale }
                row += 1
            }
        }
        weights.embeddings.releaseResidentPages()
        let ranges = poolRanges.map(Array.init)
        for (index, layer) in weights.layers.prefix(depth).enumerated() {
            forward(layer, full: c.isFullAttention(index), lengths: lengths, tokens: tokens)
            pool(lengths: lengths, ranges: ranges, layer: index, depth: depth)
        }
        head.apply(pooled.pointer, rows: sequences.count * depth, into: output)
    }

    private func forward(_ layer: Gemma3LayerWeights, full: Bool, lengths: [Int], tokens: Int) {
        let c = configuration
        let h = c.hiddenSize, d = c.headSize
        let q = c.headCount * d, kv = c.keyValueHeadCount * d
        let group = c.headCount / c.keyValueHeadCount
        let eps = c.rmsNormEpsilon
        let rotary = full ? weights.globalRotary : weights.localRotary

        for r in 0..<tokens { Kernels.rmsNorm(hidden.pointer + r * h, into: normed.pointer + r * h, count: h, scale: layer.inputNorm.pointer, epsilon: eps) }
        layer.query.multiply(normed.pointer, rows: tokens, into: query.pointer, accumulate: false, scratch: scratch)
        layer.keyValue.multiply(normed.pointer, rows: tokens, into: keyValue.pointer, accumulate: false, scratch: scratch)

        // Per-head RMSNorm and rotary positions on queries and keys.
        var offset = 0
        for length in lengths {
            for t in 0..<length {
                let qRow = query.pointer + (offset + t) * q
                for head in 0..<c.headCount {
                    Kernels.rmsNorm(qRow + head * d, count: d, scale: layer.queryNorm.pointer, epsilon: eps)
                    rotary.apply(qRow + head * d, position: t)
                }
                let kRow = keyValue.pointer + (offset + t) * 2 * kv
                for head in 0..<c.keyValueHeadCount {
                    Kernels.rmsNorm(kRow + head * d, count: d, scale: layer.keyNorm.pointer, epsilon: eps)
                    rotary.apply(kRow + head * d, position: t)
                }
            }
            offset += length
        }

        let scale = 1 / c.queryPreAttentionScalar.squareRoot()
        if let fusedAttention {
            // Attention per sequence and query head in one pass, against its group's key/value head.
            offset = 0
            for length in lengths {
                for head in 0..<c.headCount {
                    let keys = keyValue.pointer + offset * 2 * kv + (head / group) * d
                    fusedAttention.attend(queries: query.pointer + offset * q + head * d, queryStride: q, queryCount: length,
                                          keys: keys, values: keys + kv, keyStride: 2 * kv, keyCount: length, scale: scale,
                                          into: context.pointer + offset * q + head * d, outStride: q, scratch: scores.pointer)
                }
                offset += length
            }
        } else {
            // Per sequence and key/value head: the group's query heads of all tokens form one
            // (length·group × d) matrix when each head's rows are gathered, so one GEMM scores them all.
            offset = 0
            for length in lengths {
                for kvHead in 0..<c.keyValueHeadCount {
                    let keys = keyValue.pointer + offset * 2 * kv + kvHead * d
                    let values = keys + kv
                    let rows = length * group
                    // Query rows of this group: token t, head g at query[(offset+t)·q + (kvHead·group + g)·d].
                    // With one KV head (group = all heads) they are already contiguous as rows of width d.
                    let queries: UnsafeMutablePointer<Float>
                    if c.keyValueHeadCount == 1 {
                        queries = query.pointer + offset * q
                    } else {
                        queries = projected.pointer
                        for t in 0..<length {
                            (queries + t * group * d).update(from: query.pointer + (offset + t) * q + kvHead * group * d, count: group * d)
                        }
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(length), Int32(d),
                                scale, queries, Int32(d), keys, Int32(2 * kv), 0, scores.pointer, Int32(length))
                    Kernels.softmax(scores.pointer, rows: rows, count: length)
                    if c.keyValueHeadCount == 1 {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(length),
                                    1, scores.pointer, Int32(length), values, Int32(2 * kv), 0, context.pointer + offset * q, Int32(d))
                    } else {
                        for t in 0..<length {
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(group), Int32(d), Int32(length),
                                        1, scores.pointer + t * group * length, Int32(length), values, Int32(2 * kv), 0,
                                        context.pointer + (offset + t) * q + kvHead * group * d, Int32(d))
                        }
                    }
                }
                offset += length
            }
        }

        // Output projection, post-attention norm, residual.
        layer.output.multiply(context.pointer, rows: tokens, into: projected.pointer, accumulate: false, scratch: scratch)
        addNormalized(projected.pointer, scale: layer.postAttentionNorm.pointer, rows: tokens)

        // GeGLU feed-forward between its two norms, residual.
        for r in 0..<tokens { Kernels.rmsNorm(hidden.pointer + r * h, into: normed.pointer + r * h, count: h, scale: layer.preFeedForwardNorm.pointer, epsilon: eps) }
        layer.gateUp.multiply(normed.pointer, rows: tokens, into: gateUp.pointer, accumulate: false, scratch: scratch)
        layer.down.multiply(.gatedGELUOf(gateUp.pointer, scratch: activated.pointer), rows: tokens, into: projected.pointer,
                            accumulate: false, scratch: scratch)
        addNormalized(projected.pointer, scale: layer.postFeedForwardNorm.pointer, rows: tokens)
    }

    /// hidden[r] += RMSNorm(x[r]) for each row; `x` is overwritten.
    private func addNormalized(_ x: UnsafeMutablePointer<Float>, scale: UnsafePointer<Float>, rows: Int) {
        let h = configuration.hiddenSize
        for r in 0..<rows {
            Kernels.rmsNorm(x + r * h, count: h, scale: scale, epsilon: configuration.rmsNormEpsilon)
            Kernels.accumulate(x + r * h, into: hidden.pointer + r * h, count: h)
        }
    }

    /// Mean of `final_norm(hidden)` over each sequence's pooled range, into its row for `layer`.
    private func pool(lengths: [Int], ranges: [Range<Int>]?, layer: Int, depth: Int) {
        let h = configuration.hiddenSize
        let scale = weights.finalNorm.pointer, eps = configuration.rmsNormEpsilon
        var offset = 0
        for (s, length) in lengths.enumerated() {
            let out = pooled.pointer + (s * depth + layer) * h
            var range = ranges?[s].clamped(to: 0..<length) ?? 0..<length
            if range.isEmpty { range = 0..<length }
            zero(out, h)
            for r in range {
                let row = normed.pointer
                Kernels.rmsNorm(hidden.pointer + (offset + r) * h, into: row, count: h, scale: scale, epsilon: eps)
                Kernels.accumulate(row, into: out, count: h)
            }
            let inv = 1 / Float(range.count)
            for j in 0..<h { out[j] *= inv }
            offset += length
        }
    }

    private func zero(_ p: UnsafeMutablePointer<Float>, _ count: Int) { p.update(repeating: 0, count: count) }
}
