import CBLAS
import Dispatch
import Foundation
import Synchronization

/// The BERT forward pass on OpenBLAS: token ids in, the pooled vector of every layer out.
///
/// Inputs are cut into ragged batches of about `tokensPerBatch` tokens with no padding. With many
/// batches, each core runs its own batches with single-threaded BLAS (near-perfect scaling, no
/// synchronization inside a layer); a lone batch — a query — gets multi-threaded BLAS instead.
public final class BertEncoder: Sendable {
    public let configuration: BertConfiguration
    public let pooling: Pooling
    private let weights: EncoderWeights
    /// OpenBLAS's thread count is process-wide, so encode calls take turns.
    private let turn = Mutex(())

    /// Tokens per ragged batch: large enough for efficient GEMMs, small enough to stay in cache-sized
    /// scratch memory (about 20 MB per worker for MiniLM).
    public static let tokensPerBatch = 2048

    public init(checkpoint: BertCheckpoint, pooling: Pooling) throws {
        configuration = checkpoint.configuration
        self.pooling = pooling
        weights = try EncoderWeights(checkpoint: checkpoint)
    }

    /// Encodes token sequences (each `[CLS] … [SEP]`, at most `maxPositions` long) with up to
    /// `threads` threads; results come back in input order.
    ///
    /// With `poolRanges`, mean pooling of sequence i covers only its tokens in `poolRanges[i]`
    /// (late chunking: context is encoded, only the chunk is pooled).
    /// With `depth`, only the first `depth` layers run (early exit) and the results hold those layers.
    public func encode(_ sequences: [[Int32]], poolRanges: [Range<Int>]? = nil,
                       threads: Int = ProcessInfo.processInfo.activeProcessorCount, depth: Int? = nil) -> [LayerEmbeddings] {
        guard !sequences.isEmpty else { return [] }
        precondition(poolRanges == nil || poolRanges!.count == sequences.count)
        let c = configuration
        let sequences = sequences.map { ids -> [Int32] in
            let clipped = ids.count > c.maxPositions ? Array(ids.prefix(c.maxPositions)) : ids
            return clipped.map { $0 >= 0 && Int($0) < c.vocabularySize ? $0 : 0 }
        }
        let depth = min(c.layerCount, max(1, depth ?? c.layerCount))
        let stride = depth * c.hiddenSize
        let batches = Self.batches(lengths: sequences.map(\.count), budget: max(Self.tokensPerBatch, c.maxPositions))
        let output = FloatBuffer(count: sequences.count * stride)
        let threads = max(1, threads)

        turn.withLock { _ in
            if batches.count == 1 || threads == 1 {
                BLASThreads.use(threads)
                let pass = EncoderPass(configuration: c, weights: weights, pooling: pooling)
                for batch in batches {
                    pass.run(sequences[batch], poolRanges: poolRanges?[batch], depth: depth, output: output.pointer + batch.lowerBound * stride)
                }
            } else {
                BLASThreads.use(1)
                let next = Atomic<Int>(0)
                let target = DisjointWrites(base: output.pointer)
                let workers = min(threads, batches.count)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    let pass = EncoderPass(configuration: c, weights: weights, pooling: pooling)
                    while true {
                        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < batches.count else { break }
                        let batch = batches[index]
                        pass.run(sequences[batch], poolRanges: poolRanges?[batch], depth: depth, output: target.base + batch.lowerBound * stride)
                    }
                }
            }
        }
        return (0..<sequences.count).map { i in
            LayerEmbeddings(layerCount: depth, hiddenSize: c.hiddenSize,
                            pooled: Array(UnsafeBufferPointer(start: output.pointer + i * stride, count: stride)))
        }
    }

    /// Consecutive index ranges whose token counts stay within `budget` (a longer sequence goes alone).
    package static func batches(lengths: [Int], budget: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0, tokens = 0
        for (i, length) in lengths.enumerated() {
            if tokens + length > budget, i > start {
                result.append(start..<i)
                start = i
                tokens = 0
            }
            tokens += length
        }
        if start < lengths.count { result.append(start..<lengths.count) }
        return result
    }

    /// Multiply-adds of one forward pass over a sequence of `length` tokens, counted as 2 FLOPs each.
    public func flops(length: Int) -> Double {
        let c = configuration
        let t = Double(length), h = Double(c.hiddenSize), i = Double(c.intermediateSize)
        let dense = 2 * t * (4 * h * h + 2 * h * i)
        let attention = 4 * t * t * h
        return Double(c.layerCount) * (dense + attention)
    }
}
