import SemsearchKit
import SemsearchCore
import SemsearchEncoder

/// One table over several datasets: for each configuration, the headline score on each dataset
/// (nDCG@10 for BEIR, MRR@10 for spans) at the cell a plain search uses, the database bytes per
/// document, and the mean over the datasets — so one command shows whether a change helps everywhere.
public struct EvaluationSummary: Sendable {
    /// A configuration and the vector format its index was measured in.
    public struct Key: Sendable, Hashable {
        public var setting: EvaluationSetting
        public var format: VectorFormat
    }

    /// One dataset's figures for one configuration.
    public struct Entry: Sendable {
        public var score: Double
        public var bytesPerDocument: Double
    }

    /// The datasets in the order they ran, by name.
    public private(set) var datasets: [String] = []
    /// The headline metric of each dataset (`nDCG@10` or `MRR@10`).
    public private(set) var metrics: [String: String] = [:]
    /// The configurations in the order they first appeared.
    public private(set) var keys: [Key] = []
    private var entries: [Key: [String: Entry]] = [:]
    private var footprints: [String: [String: IndexFootprint]] = [:]

    public init() {}

    /// Starts a dataset whose headline metric is `metric`.
    public mutating func begin(dataset: String, metric: String) {
        if !datasets.contains(dataset) { datasets.append(dataset) }
        metrics[dataset] = metric
    }

    /// Notes the cost of the index a configuration's rows will come from.
    public mutating func record(dataset: String, chunkTokens: Int, situate: SituateMode, format: VectorFormat, footprint: IndexFootprint) {
        footprints[dataset, default: [:]]["\(chunkTokens) \(situate.rawValue) \(format.rawValue)"] = footprint
    }

    /// Notes a configuration's headline score on a dataset; the first score noted stands (the
    /// calibrated grid runs before the raw one).
    public mutating func record(dataset: String, setting: EvaluationSetting, format: VectorFormat, score: Double) {
        let key = Key(setting: setting, format: format)
        if entries[key] == nil { keys.append(key) }
        guard entries[key]?[dataset] == nil else { return }
        let bytes = footprints[dataset]?["\(setting.chunkTokens) \(setting.situate.rawValue) \(format.rawValue)"]?.bytesPerDocument ?? 0
        entries[key, default: [:]][dataset] = Entry(score: score, bytesPerDocument: bytes)
    }

    /// A configuration's figures on a dataset (nil: not measured there).
    public func entry(_ key: Key, dataset: String) -> Entry? { entries[key]?[dataset] }

    /// The mean score of a configuration over the datasets it was measured on.
    public func meanScore(_ key: Key) -> Double {
        let values = entries[key]?.values.map(\.score) ?? []
        return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The best score any configuration reached on a dataset.
    public func bestScore(dataset: String) -> Double {
        keys.compactMap { entries[$0]?[dataset]?.score }.max() ?? 0
    }
}
