import SemsearchCore
import Foundation

/// A compact binary copy of a `TokenizerDefinition`, written beside `tokenizer.json` when a model
/// is imported. Reading 33 MB of JSON costs about half a second; this file loads in a tenth of that,
/// which is most of what a cold `semsearch search` with EmbeddingGemma would otherwise spend on it.
///
/// Layout (little-endian): magic `SSBPE001`; the source's size and the hash of its first 64 KB (a
/// copy that does not match its `tokenizer.json` is ignored); counts; unknown id, space
/// replacement, prefix and suffix ids; piece offsets and bytes; merges as (left, right, merged)
/// triples in rank order; added tokens as ids, offsets and bytes.
extension TokenizerDefinition {
    static let binaryName = "tokenizer.semsearch.bin"
    private static let magic = Array("SSBPE001".utf8)

    /// Identity of a `tokenizer.json`: its size and the hash of its first 64 KB.
    static func sourceIdentity(path: String) -> (size: UInt64, hash: UInt64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = ContentHash()
        hash.update(handle.readData(ofLength: 1 << 16))
        let size = handle.seekToEndOfFile()
        return (size, UInt64(hash.hex, radix: 16) ?? 0)
    }

    /// Writes the binary copy of this definition, read from the `tokenizer.json` at `source`, to `path`.
    func writeBinary(to path: String, source: String) throws {
        guard let identity = Self.sourceIdentity(path: source) else { throw ModelError.unreadable(path: source, reason: "cannot read it") }
        var out = Data(Self.magic)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
        func strings(_ list: [String]) {
            var offset: UInt32 = 0
            u32(0)
            for s in list { offset += UInt32(s.utf8.count); u32(offset) }
            for s in list { out.append(contentsOf: s.utf8) }
        }
        u64(identity.size); u64(identity.hash)
        u32(UInt32(pieces.count)); u32(UInt32(merges.count)); u32(UInt32(addedTokens.count))
        u32(UInt32(prefixIDs.count)); u32(UInt32(suffixIDs.count))
        i32(unknownID); u32(spaceReplacement?.value ?? 0)
        prefixIDs.forEach(i32); suffixIDs.forEach(i32)
        strings(pieces)
        for (key, value) in merges.sorted(by: { $0.value >> 32 < $1.value >> 32 }) {
            u32(UInt32(key >> 32)); u32(UInt32(key & 0xFFFF_FFFF)); u32(UInt32(value & 0xFFFF_FFFF))
        }
        addedTokens.forEach { i32($0.id) }
        strings(addedTokens.map(\.content))
        do { try out.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ModelError.unreadable(path: path, reason: "cannot write the tokenizer cache: \(error.localizedDescription)")
        }
    }

    /// The definition in the binary copy at `path`, or nil when it is missing, damaged, or was
    /// made from another `tokenizer.json` than the one at `source`.
    static func loadBinary(path: String, source: String) -> TokenizerDefinition? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
              let identity = sourceIdentity(path: source) else { return nil }
        return data.withUnsafeBytes { raw -> TokenizerDefinition? in
            var at = 0
            func u32() -> UInt32? {
                guard at + 4 <= raw.count else { return nil }
                defer { at += 4 }
                return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            }
            func u64() -> UInt64? {
                guard at + 8 <= raw.count else { return nil }
                defer { at += 8 }
                return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            }
            func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
            func strings(_ count: Int) -> [String]? {
                var offsets: [Int] = []
                offsets.reserveCapacity(count + 1)
                for _ in 0...count { guard let o = u32() else { return nil }; offsets.append(Int(o)) }
                guard let total = offsets.last, at + total <= raw.count else { return nil }
                let base = at
                at += total
                return (0..<count).map { i in
                    String(decoding: UnsafeRawBufferPointer(rebasing: raw[(base + offsets[i])..<(base + offsets[i + 1])]), as: UTF8.self)
                }
            }
            guard raw.count >= 8, Array(raw.prefix(8)) == magic else { return nil }
            at = 8
            guard u64() == identity.size, u64() == identity.hash,
                  let pieceCount = u32(), let mergeCount = u32(), let addedCount = u32(),
                  let prefixCount = u32(), let suffixCount = u32(), let unknown = i32(), let space = u32() else { return nil }
            var prefix: [Int32] = [], suffix: [Int32] = []
            for _ in 0..<prefixCount { guard let v = i32() else { return nil }; prefix.append(v) }
            for _ in 0..<suffixCount { guard let v = i32() else { return nil }; suffix.append(v) }
            guard let pieces = strings(Int(pieceCount)) else { return nil }
            guard at + Int(mergeCount) * 12 <= raw.count else { return nil }
            var merges: [UInt64: UInt64] = [:]
            merges.reserveCapacity(Int(mergeCount))
            for rank in 0..<Int(mergeCount) {
                let p = at + rank * 12
                let left = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                let right = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self)))
                let merged = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self)))
                merges[left << 32 | right] = UInt64(rank) << 32 | merged
            }
            at += Int(mergeCount) * 12
            var addedIDs: [Int32] = []
            for _ in 0..<addedCount { guard let v = i32() else { return nil }; addedIDs.append(v) }
            guard let addedContents = strings(Int(addedCount)) else { return nil }
            return TokenizerDefinition(pieces: pieces, merges: merges, addedTokens: Array(zip(addedContents, addedIDs)),
                                       unknownID: unknown, prefixIDs: prefix, suffixIDs: suffix,
                                       spaceReplacement: space == 0 ? nil : Unicode.Scalar(space))
        }
    }
}
