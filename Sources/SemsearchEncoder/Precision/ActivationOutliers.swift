import SemsearchCore
import Synchronization

/// How far the activations entering each dense layer stray from their row's typical size: per
/// token, max|x| / rms(x) and the channel holding the max. A ratio r leaves the typical channel
/// log2(127 / r) bits of an 8-bit per-token scale, which is why `EncoderPrecision.int8` gives most
/// layers one scale per block of 32 values instead (`ActivationWidth`; measured on msmarco: EmbeddingGemma's FFN
/// down-projection inputs average 12–21 and reach 34, the ceiling √1152, and its query/key inputs
/// have fixed outlier channels; MiniLM's average 4–13 and reach 38).
///
/// Off unless `start()` is called (`bench embed --outliers`); then every `LinearWeight.multiply`
/// records its input, which costs a pass over it.
public enum ActivationOutliers {
    /// One dense layer's inputs, over every token seen.
    public struct Entry: Sendable {
        public let label: String
        public internal(set) var tokens = 0
        public internal(set) var ratioSum = 0.0
        public internal(set) var worstRatio = 0.0
        /// Tokens whose largest value sits in each channel.
        public internal(set) var channelCounts: [Int: Int] = [:]

        public var meanRatio: Double { tokens > 0 ? ratioSum / Double(tokens) : 0 }
        /// The channel most often holding a token's max, and the share of tokens it does.
        public var dominantChannel: (channel: Int, share: Double) {
            guard let top = channelCounts.max(by: { $0.value < $1.value }), tokens > 0 else { return (0, 0) }
            return (top.key, Double(top.value) / Double(tokens))
        }
    }

    private static let recording = Atomic<Bool>(false)
    private static let entries = Mutex<[String: Entry]>([:])

    /// Clears what was recorded and records from now on.
    public static func start() {
        entries.withLock { $0 = [:] }
        recording.store(true, ordering: .relaxed)
    }

    /// Stops recording and returns what was recorded, in the order the labels sort.
    public static func stop() -> [Entry] {
        recording.store(false, ordering: .relaxed)
        return entries.withLock { $0.values.sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending } }
    }

    @inline(__always)
    static var isRecording: Bool { recording.load(ordering: .relaxed) }

    /// Records `rows` rows of `width` values entering the layer `label`.
    static func record(_ label: String, _ a: UnsafePointer<Float>, rows: Int, width: Int) {
        var entry = Entry(label: label)
        for r in 0..<rows {
            let row = a + r * width
            var largest: Float = 0, channel = 0, squares: Double = 0
            for j in 0..<width {
                let x = row[j]
                squares += Double(x * x)
                if abs(x) > largest { largest = abs(x); channel = j }
            }
            let rms = (squares / Double(width)).squareRoot()
            guard rms > 0 else { continue }
            let ratio = Double(largest) / rms
            entry.tokens += 1
            entry.ratioSum += ratio
            entry.worstRatio = max(entry.worstRatio, ratio)
            entry.channelCounts[channel, default: 0] += 1
        }
        entries.withLock { all in
            var merged = all[label] ?? Entry(label: label)
            merged.tokens += entry.tokens
            merged.ratioSum += entry.ratioSum
            merged.worstRatio = max(merged.worstRatio, entry.worstRatio)
            for (channel, count) in entry.channelCounts { merged.channelCounts[channel, default: 0] += count }
            all[label] = merged
        }
    }
}
