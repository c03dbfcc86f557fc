import Foundation

/// The keys of the advisory locks an index in PostgreSQL takes, in the two-key form
/// (`pg_advisory_lock(int4, int4)`): the first key names the index (its schema), the second what
/// is locked. Hashes are FNV-1a, computed here, so every semsearch agrees on them whatever the
/// server's own hash functions do, and `pg_locks` shows them as `classid`/`objid`.
enum AdvisoryKey {
    /// The index: taken shared by every indexing run, exclusive by whole-index writes.
    static let index: Int32 = 1
    /// `index --watch`.
    static let watching: Int32 = 2
    /// End-of-run steps (calibration, compaction, format conversion): exclusive among writers;
    /// taken shared, for one transaction, by every batch a run stores.
    static let maintenance: Int32 = 3

    static func classID(schema: String) -> Int32 { hash("semsearch:" + schema) }

    /// A root's key; never one of the fixed keys above.
    static func root(_ path: String) -> Int32 {
        let key = hash("root:" + path)
        return (1...3).contains(key) ? key + 3 : key
    }

    /// 32-bit FNV-1a of the UTF-8 bytes.
    static func hash(_ text: String) -> Int32 {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        return Int32(bitPattern: value)
    }
}
