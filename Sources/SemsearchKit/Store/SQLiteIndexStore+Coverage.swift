import SemsearchCore
import SemsearchEncoder
import GRDB

extension SQLiteIndexStore {
    /// Adds a batch's counts to the index's running vocabulary coverage.
    public func addVocabularyCoverage(_ coverage: VocabularyCoverage) throws {
        guard coverage.tokens > 0 else { return }
        try write { db in
            for (key, value) in [(IndexMetaKey<Int>.coverageTokens, coverage.tokens), (.coveragePoorlyRead, coverage.poorlyRead)] {
                try Self.setMeta(key, (try Self.meta(key, db) ?? 0) + value, db)
            }
        }
    }

    /// The vocabulary coverage of everything embedded into this index so far.
    public func vocabularyCoverage() throws -> VocabularyCoverage {
        try read { db in
            VocabularyCoverage(tokens: try Self.meta(.coverageTokens, db) ?? 0, poorlyRead: try Self.meta(.coveragePoorlyRead, db) ?? 0)
        }
    }
}
