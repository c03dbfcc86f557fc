import SemsearchCore
import SemsearchEncoder
import GRDB

extension IndexStore {
    /// Adds a batch's counts to the index's running vocabulary coverage.
    public func addVocabularyCoverage(_ coverage: VocabularyCoverage) throws {
        guard coverage.tokens > 0 else { return }
        try write { db in
            for (key, value) in [("coverage_tokens", coverage.tokens), ("coverage_poorly_read", coverage.poorlyRead)] {
                let old = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).flatMap(Int.init) ?? 0
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, String(old + value)])
            }
        }
    }

    /// The vocabulary coverage of everything embedded into this index so far.
    public func vocabularyCoverage() throws -> VocabularyCoverage {
        VocabularyCoverage(tokens: try meta("coverage_tokens").flatMap(Int.init) ?? 0,
                           poorlyRead: try meta("coverage_poorly_read").flatMap(Int.init) ?? 0)
    }
}
