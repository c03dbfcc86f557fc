import SemsearchCore
import CBLAS

/// One worker's forward pass over a ragged batch: the sequences' tokens are packed row after row
/// with no padding, so every GEMM of the dense layers runs on exactly the real tokens, and attention
/// runs per sequence and head on strided views of the packed Q, K and V: in one pass (`FusedAttention`)
/// where the CPU has a kernel for the head size, else as two sgemm calls around a softmax.
///
/// Owns its scratch matrices; one instance per worker thread, reused across batches.
final class BertPass: ForwardPass {
    private let configuration: BertConfiguration
    private let weights: BertWeights
    private let pooling: Pooling
    private let scratch: Int8Scratch
    private var capacity = 0
    private var hidden = FloatBuffer(count: 0)
    private var attended = FloatBuffer(count: 0)
    private var qkv = FloatBuffer(count: 0)
    private var context = FloatBuffer(count: 0)
    private var intermediate = FloatBuffer(count: 0)
    /// One head's scores for the sgemm path, or `fusedAttention`'s scratch.
    private var scores = FloatBuffer(count: 0)
    /// The one-pass attention kernel for this head size, when the CPU has one; else sgemm and softmax.
    private let fusedAttention: FusedAttention?

    init(configuration: BertConfiguration, weights: BertWeights, pooling: Pooling, threads: Int) {
        scratch = Int8Scratch(threads: threads)
        self.configuration = configuration
        self.weights = weights
        self.pooling = pooling
        fusedAttention = FusedAttention(headSize: configuration.headSize)
    }

    private func reserve(tokens: Int, longest: Int) {
        let h = configuration.hiddenSize
        if tokens > capacity {
            capacity = tokens
            hidden = FloatBuffer(count: tokens * h)
            attended = FloatBuffer(count: tokens * h)
            qkv = FloatBuffer(count: tokens * 3 * h)
            context = FloatBuffer(count: tokens * h)
            intermediate = FloatBuffer(count: tokens * configuration.intermediateSize)
        }
        let scoreCount = fusedAttention?.scratchCount(keyCount: longest) ?? longest * longest
        if scoreCount > scores.count { scores = FloatBuffer(count: scoreCount) }
    }

    func run(_ sequences: ArraySlice<[Int32]>, poolRanges: ArraySlice<Range<Int>>?, depth: Int, output: UnsafeMutablePointer<Float>) {
        let c = configuration
        let h = c.hiddenSize
        let lengths = sequences.map(\.count)
        let tokens = lengths.reduce(0, +)
        reserve(tokens: tokens, longest: lengths.max() ?? 0)

        // Embeddings: word + position + token type 0, then LayerNorm.
        var row = 0
        for ids in sequences {
            for (position, id) in ids.enumerated() {
                let out = hidden.pointer + row * h
                weights.wordEmbeddings.row(Int(id), into: out)
                Kernels.accumulate(weights.positionEmbeddings.pointer + position * h, into: out, count: h)
                Kernels.accumulate(weights.tokenTypeEmbedding.pointer, into: out, count: h)
                Kernels.layerNorm(out, count: h, scale: weights.embeddingNormScale.pointer,
                                  bias: weights.embeddingNormBias.pointer, epsilon: c.layerNormEpsilon)
                row += 1
            }
        }

        for (layerIndex, layer) in weights.layers.prefix(depth).enumerated() {
            forward(layer, lengths: lengths, tokens: tokens)
            pool(lengths: lengths, ranges: poolRanges.map(Array.init), layer: layerIndex, stride: depth * c.hiddenSize, output: output)
        }
    }

    private func forward(_ layer: BertLayerWeights, lengths: [Int], tokens: Int) {
        let c = configuration
        let h = c.hiddenSize
        let headSize = c.headSize
        let scale = 1 / Float(headSize).squareRoot()

        // Q, K, V for all tokens at once.
        layer.qkv.multiply(.rows(hidden.pointer), rows: tokens, into: qkv.pointer, accumulate: false, bias: layer.qkvBias.pointer, scratch: scratch)

        // Attention, per sequence and head, on strided views; no mask is needed since nothing is padded.
        var offset = 0
        for length in lengths {
            for head in 0..<c.headCount {
                let q = qkv.pointer + offset * 3 * h + head * headSize
                let k = q + h
                let v = q + 2 * h
                let out = context.pointer + offset * h + head * headSize
                if let fusedAttention {
                    fusedAttention.attend(queries: q, queryStride: 3 * h, queryCount: length, keys: k, values: v, keyStride: 3 * h,
                                          keyCount: length, scale: scale, into: out, outStride: h, scratch: scores.pointer)
                    continue
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(headSize),
                            scale, q, Int32(3 * h), k, Int32(3 * h), 0, scores.pointer, Int32(length))
                Kernels.softmax(scores.pointer, rows: length, count: length)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(headSize), Int32(length),
                            1, scores.pointer, Int32(length), v, Int32(3 * h), 0, out, Int32(h))
            }
            offset += length
        }

        // Attention output projection + residual, LayerNorm.
        addRows(hidden.pointer, layer.attentionOutputBias.pointer, into: attended.pointer, rows: tokens)
        layer.attentionOutput.multiply(context.pointer, rows: tokens, into: attended.pointer, accumulate: true, scratch: scratch)
        normalizeRows(attended.pointer, rows: tokens, scale: layer.attentionNormScale, bias: layer.attentionNormBias)

        // Feed-forward: GELU(x·W1ᵀ + b1)·W2ᵀ + b2 + x, LayerNorm.
        layer.intermediate.multiply(.rows(attended.pointer), rows: tokens, into: intermediate.pointer, accumulate: false,
                                    bias: layer.intermediateBias.pointer, scratch: scratch)
        addRows(attended.pointer, layer.outputBias.pointer, into: hidden.pointer, rows: tokens)
        layer.output.multiply(.geluOf(intermediate.pointer), rows: tokens, into: hidden.pointer, accumulate: true, scratch: scratch)
        normalizeRows(hidden.pointer, rows: tokens, scale: layer.outputNormScale, bias: layer.outputNormBias)
    }

    /// Writes each sequence's pooled `hidden` into its slot for `layer`.
    private func pool(lengths: [Int], ranges: [Range<Int>]?, layer: Int, stride: Int, output: UnsafeMutablePointer<Float>) {
        let h = configuration.hiddenSize
        var offset = 0
        for (s, length) in lengths.enumerated() {
            let out = output + s * stride + layer * h
            let sequence = hidden.pointer + offset * h
            if pooling == .cls {
                out.update(from: sequence, count: h)
            } else {
                var range = ranges?[s].clamped(to: 0..<length) ?? 0..<length
                if range.isEmpty { range = 0..<length }
                out.update(from: sequence + range.lowerBound * h, count: h)
                for r in (range.lowerBound + 1)..<max(range.lowerBound + 1, range.upperBound) {
                    Kernels.accumulate(sequence + r * h, into: out, count: h)
                }
                let inv = 1 / Float(range.count)
                for j in 0..<h { out[j] *= inv }
            }
            offset += length
        }
    }

    /// out[r] = residual[r] + bias for each of `rows` hidden-size rows: the residual and bias a GEMM then adds to.
    private func addRows(_ residual: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int) {
        let h = configuration.hiddenSize
        for r in 0..<rows { Kernels.add(residual + r * h, bias, into: out + r * h, count: h) }
    }

    /// LayerNorm over each of `rows` hidden-size rows, in place.
    private func normalizeRows(_ rows: UnsafeMutablePointer<Float>, rows count: Int, scale: FloatBuffer, bias: FloatBuffer) {
        let h = configuration.hiddenSize
        for r in 0..<count {
            Kernels.layerNorm(rows + r * h, count: h, scale: scale.pointer, bias: bias.pointer, epsilon: configuration.layerNormEpsilon)
        }
    }
}
