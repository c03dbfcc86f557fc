import SemsearchCore
import CBLAS
import Dispatch
import Foundation
import Synchronization

/// A transformer encoder on OpenBLAS, whatever its family: token ids in, the pooled vector of
/// every layer out, in one pass.
///
/// Inputs are cut into ragged batches of about `tokensPerBatch` tokens with no padding. With many
/// batches, each core runs its own batches with single-threaded BLAS (near-perfect scaling, no
/// synchronization inside a layer); a lone batch — a query — gets multi-threaded BLAS instead.
public final class LayerEncoder: Sendable {
    private let architecture: any EncoderArchitecture
    /// OpenBLAS's thread count is process-wide, so encode calls take turns.
    private let turn = Mutex(())

    /// Tokens per ragged batch: large enough for efficient GEMMs, small enough to stay in cache-sized
    /// scratch memory (about 20 MB per worker for MiniLM).
    public static let tokensPerBatch = 2048

    init(architecture: any EncoderArchitecture) {
        self.architecture = architecture
    }

    /// Encodes token sequences (each framed by the tokenizer, at most `maxPositions` long) with up to
    /// `threads` threads; results come back in input order.
    ///
    /// With `poolRanges`, mean pooling of sequence i covers only its tokens in `poolRanges[i]`
    /// (late chunking: context is encoded, only the chunk is pooled).
    /// With `depth`, only the first `depth` layers run (early exit) and the results hold those layers.
    public func encode(_ sequences: [[Int32]], poolRanges: [Range<Int>]? = nil,
                       threads: Int = ProcessInfo.processInfo.activeProcessorCount, depth: Int? = nil) -> [LayerEmbeddings] {
        guard !sequences.isEmpty else { return [] }
        precondition(poolRanges == nil || poolRanges!.count == sequences.count)
        let a = architecture
        let sequences = sequences.map { ids -> [Int32] in
            let clipped = ids.count > a.maxPositions ? Array(ids.prefix(a.maxPositions)) : ids
            return clipped.map { $0 >= 0 && Int($0) < a.vocabularySize ? $0 : 0 }
        }
        let depth = min(a.layerCount, max(1, depth ?? a.layerCount))
        let stride = depth * a.outputSize
        let batches = Self.batches(lengths: sequences.map(\.count), budget: max(Self.tokensPerBatch, a.maxPositions))
        let output = FloatBuffer(count: sequences.count * stride)
        let threads = max(1, threads)

        turn.withLock { _ in
            if batches.count == 1 || threads == 1 {
                BLASThreads.use(threads)
                let pass = a.makePass(threads: threads)
                for batch in batches {
                    pass.run(sequences[batch], poolRanges: poolRanges?[batch], depth: depth, output: output.pointer + batch.lowerBound * stride)
                }
            } else {
                BLASThreads.use(1)
                let next = Atomic<Int>(0)
                let target = DisjointWrites(base: output.pointer)
                let workers = min(threads, batches.count)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    let pass = a.makePass(threads: 1)
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
            LayerEmbeddings(layerCount: depth, hiddenSize: a.outputSize,
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
    public func flops(length: Int) -> Double { architecture.flops(length: length) }
}
