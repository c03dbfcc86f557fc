import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// The usual measures of one ranking against graded judgments (BEIR / TREC conventions): a
/// document is relevant when its grade is above 0, and nDCG uses gain 2^grade − 1.
public struct RetrievalMetrics: Sendable, Equatable {
    public var ndcgAt10 = 0.0
    public var recallAt10 = 0.0
    public var recallAt100 = 0.0
    public var mrrAt10 = 0.0

    public init() {}

    /// Scores `ranking` (document ids, best first) against `grades`.
    public init(ranking: [String], grades: [String: Int]) {
        let relevant = Set(grades.filter { $0.value > 0 }.keys)
        guard !relevant.isEmpty else { return }
        var dcg = 0.0
        for (i, id) in ranking.prefix(10).enumerated() {
            let grade = grades[id] ?? 0
            if grade > 0 { dcg += (pow(2, Double(grade)) - 1) / log2(Double(i + 2)) }
        }
        let ideal = grades.values.filter { $0 > 0 }.sorted(by: >).prefix(10).enumerated().reduce(0.0) {
            $0 + (pow(2, Double($1.element)) - 1) / log2(Double($1.offset + 2))
        }
        ndcgAt10 = ideal > 0 ? dcg / ideal : 0
        recallAt10 = Double(ranking.prefix(10).filter(relevant.contains).count) / Double(relevant.count)
        recallAt100 = Double(ranking.prefix(100).filter(relevant.contains).count) / Double(relevant.count)
        if let first = ranking.prefix(10).firstIndex(where: relevant.contains) { mrrAt10 = 1 / Double(first + 1) }
    }

    /// The mean of each measure over `all`.
    public static func mean(_ all: [RetrievalMetrics]) -> RetrievalMetrics {
        var m = RetrievalMetrics()
        guard !all.isEmpty else { return m }
        let n = Double(all.count)
        m.ndcgAt10 = all.reduce(0) { $0 + $1.ndcgAt10 } / n
        m.recallAt10 = all.reduce(0) { $0 + $1.recallAt10 } / n
        m.recallAt100 = all.reduce(0) { $0 + $1.recallAt100 } / n
        m.mrrAt10 = all.reduce(0) { $0 + $1.mrrAt10 } / n
        return m
    }
}
