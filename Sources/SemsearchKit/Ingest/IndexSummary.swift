import SemsearchCore
import SemsearchEncoder

/// What an indexing run did.
public struct IndexSummary: Sendable {
    public var filesSeen = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var removed = 0
    public var chunks = 0
    /// Tokens the encoder ran, special tokens and situating context included (as `bench embed` counts).
    public var tokens = 0
    public var seconds = 0.0
    public var skipped: [String: Int] = [:]
    public var warnings: [String] = []
    /// True when the run stopped early (Ctrl-C); what was committed stays.
    public var interrupted = false
    /// The IVF index after the run (nil: exact search only).
    public var ivf: IVFState?
    /// The vector format after the run, and what bringing the vectors to it did.
    public var vectorFormat = VectorFormat.fp16
    public var compaction = VectorCompaction.Summary()
    /// Layer adapters fitted by this run (nil: none needed refitting, or none possible).
    public var calibrated: [LayerAdapter]?
    /// How well the vocabulary read the whole index (this run and earlier ones).
    public var coverage = VocabularyCoverage()
    /// Set when most of the index's text is outside the model's vocabulary: say it once, name the fix.
    public var vocabularyWarning: String?
}
