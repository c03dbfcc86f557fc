import Foundation
import CZlib

/// A ZIP archive held in memory, read as DOCX, PPTX, ODT, ODP and EPUB files need it: by its central
/// directory, stored and deflated entries only, each part inflated whole into memory.
///
/// The files come from whatever folder is being indexed, so nothing in them is trusted. Every offset
/// and size is bounds-checked before it is read (a damaged file throws, never traps or reads past the
/// end); names that could climb out of the archive are refused; inflating is capped by `Limits`, so a
/// 50 KB zip bomb (50 MB of zeros deflates to 51,102 bytes) cannot become gigabytes of memory; and
/// ZIP64, encryption and methods other than stored and deflate are refused with a reason, since
/// Office, OpenDocument and EPUB writers never use them.
///
/// Not thread-safe: `read` keeps a running total of the bytes inflated from this archive.
public final class ZipArchive {
    /// Caps on what one archive may cost. Real documents sit far below them: the DOCX, PPTX, ODT, ODP
    /// and EPUB files in the test fixtures and LibreOffice's templates have 9 to 46 entries (a large
    /// EPUB or slide deck a few hundred), their parts are kilobytes to a few megabytes, and their XML
    /// compresses at most 18× (styles.xml of an ODP). So a 10,000-entry archive is refused outright,
    /// and the ratio test applies only to parts that inflate past 1 MiB: small XML parts compress
    /// 10–50×, while deflate can reach about 1,030× on a run of zeros.
    public struct Limits: Sendable {
        /// Central-directory records accepted; more is refused before any is parsed.
        public var maxEntries: Int
        /// The largest one part may inflate to; the largest part in the fixtures is 117 KB, so this
        /// leaves room for book-length bodies while bounding memory per part.
        public var maxEntryBytes: Int
        /// The most all reads of one archive may inflate together, so that many entries pointing at
        /// the same compressed bytes (an overlapping-entry bomb) are bounded as well.
        public var maxTotalBytes: Int
        /// The largest inflated-to-compressed ratio accepted for a part over 1 MiB.
        public var maxRatio: Int

        public init(maxEntries: Int = 5_000, maxEntryBytes: Int = 64 << 20,
                    maxTotalBytes: Int = 256 << 20, maxRatio: Int = 200) {
            self.maxEntries = maxEntries
            self.maxEntryBytes = maxEntryBytes
            self.maxTotalBytes = maxTotalBytes
            self.maxRatio = maxRatio
        }
    }

    /// One central-directory record. Sizes and the checksum are the central directory's: local
    /// headers of streamed entries (flag bit 3) carry zeros there.
    public struct Entry: Sendable, Hashable {
        /// The path inside the archive, `/`-separated, as the writer stored it.
        public let name: String
        /// 0 stored, 8 deflate; anything else is refused when read.
        public let method: UInt16
        /// General-purpose flags: bit 0 encrypted, bit 3 sizes in a data descriptor, bit 11 UTF-8 name.
        public let flags: UInt16
        public let crc32: UInt32
        public let compressedSize: Int
        /// What the directory claims; `read` checks it rather than trusting it.
        public let uncompressedSize: Int
        public let localHeaderOffset: Int
    }

    /// Entries in central-directory order; a name that repeats keeps its first record only.
    public let entries: [Entry]
    public let limits: Limits

    private let data: Data
    private let byName: [String: Int]
    private let byFoldedName: [String: Int]
    /// Bytes inflated or copied by `read` so far, checked against `limits.maxTotalBytes`.
    private var totalRead = 0

    private static let localSignature: UInt32 = 0x0403_4b50
    private static let centralSignature: UInt32 = 0x0201_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    /// The end record is 22 bytes plus a comment of at most 65,535.
    private static let endSearchSpan = 22 + 0xFFFF

    /// Parses the end record and the central directory; no entry is read yet. Throws `.malformed` for
    /// bytes that are not a whole ZIP archive, `.refused` for ZIP64, split archives, more than
    /// `limits.maxEntries` entries, and names that are absolute, contain a `..` component, a NUL or a
    /// backslash (a later writer of these names could be led outside its folder).
    public init(data: Data, limits: Limits = Limits()) throws(DocumentFormatError) {
        self.data = data
        self.limits = limits
        let parsed = data.withUnsafeBytes { raw in
            Result { () throws(DocumentFormatError) -> [Entry] in
                try ZipArchive.directory(LittleEndian(raw), limits: limits)
            }
        }
        let entries = try parsed.get()
        var byName: [String: Int] = [:]
        var byFoldedName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            byName[entry.name] = index
            let folded = entry.name.lowercased()
            if byFoldedName[folded] == nil { byFoldedName[folded] = index }
        }
        self.entries = entries
        self.byName = byName
        self.byFoldedName = byFoldedName
    }

    /// The entry with exactly this name, if any.
    public func entry(_ name: String) -> Entry? {
        byName[name].map { entries[$0] }
    }

    /// The first entry whose name matches ignoring case, for names written by tools on
    /// case-insensitive file systems that disagree with the archive. The readers do not use it yet:
    /// they look parts up by exact name (``entry(_:)``, ``read(_:)``).
    public func entry(caseInsensitive name: String) -> Entry? {
        byFoldedName[name.lowercased()].map { entries[$0] }
    }

    /// The bytes of the named part; `.missingPart(name)` when the archive has no such entry.
    public func read(_ name: String) throws(DocumentFormatError) -> Data {
        guard let entry = entry(name) else { throw .missingPart(name) }
        return try read(entry)
    }

    /// The bytes of one entry, checked against its declared size and CRC-32. Refuses encrypted
    /// entries, methods other than stored (0) and deflate (8), and anything that would go past the
    /// limits; the declared size is checked against the limits first (so a bomb is refused before a
    /// byte is inflated) and then enforced while inflating (so a header that lies stops one byte
    /// past its claim).
    public func read(_ entry: Entry) throws(DocumentFormatError) -> Data {
        if entry.flags & 1 != 0 { throw .refused("encrypted") }
        guard entry.method == 0 || entry.method == 8 else { throw .refused("compression method \(entry.method)") }
        let declared = entry.uncompressedSize
        if declared > limits.maxEntryBytes {
            throw .refused("\(Self.printable(entry.name)) inflates past \(Self.amount(limits.maxEntryBytes))")
        }
        if entry.method == 8, declared > 1 << 20, declared / max(entry.compressedSize, 1) > limits.maxRatio {
            throw .refused("zip bomb: \(Self.printable(entry.name)) inflates past \(limits.maxRatio)× its size")
        }
        if declared > limits.maxTotalBytes - totalRead {
            throw .refused("the parts inflate past \(Self.amount(limits.maxTotalBytes)) in all")
        }
        let result = data.withUnsafeBytes { raw in
            Result { () throws(DocumentFormatError) -> Data in
                try self.contents(of: entry, in: LittleEndian(raw))
            }
        }
        let bytes = try result.get()
        totalRead += bytes.count
        return bytes
    }

    // MARK: - Central directory

    private static func directory(_ bytes: LittleEndian, limits: Limits) throws(DocumentFormatError) -> [Entry] {
        let end = try endRecord(bytes)
        let thisDisk = try bytes.u16(end + 4)
        let directoryDisk = try bytes.u16(end + 6)
        let countOnDisk = try bytes.u16(end + 8)
        let count = try bytes.u16(end + 10)
        let directorySize = try bytes.u32(end + 12)
        let directoryOffset = try bytes.u32(end + 16)
        let hasLocator = end >= 20 && (try? bytes.u32(end - 20)) == zip64LocatorSignature
        if hasLocator || count == 0xFFFF || countOnDisk == 0xFFFF
            || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw .refused("zip64 archives are not read")
        }
        if thisDisk != 0 || directoryDisk != 0 || countOnDisk != count {
            throw .refused("split archives are not read")
        }
        if Int(count) > limits.maxEntries {
            throw .refused("\(count) entries, more than \(limits.maxEntries)")
        }
        let start = Int(directoryOffset)
        let stop = start + Int(directorySize)
        guard stop <= end else { throw .malformed("truncated") }

        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var seen = Set<String>()
        var at = start
        for _ in 0..<Int(count) {
            guard at + 46 <= stop else { throw .malformed("truncated") }
            guard try bytes.u32(at) == centralSignature else { throw .malformed("bad central directory") }
            let flags = try bytes.u16(at + 8)
            let method = try bytes.u16(at + 10)
            let crc = try bytes.u32(at + 16)
            let compressed = try bytes.u32(at + 20)
            let uncompressed = try bytes.u32(at + 24)
            let nameLength = Int(try bytes.u16(at + 28))
            let extraLength = Int(try bytes.u16(at + 30))
            let commentLength = Int(try bytes.u16(at + 32))
            let localOffset = try bytes.u32(at + 42)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw .refused("zip64 archives are not read")
            }
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= stop else { throw .malformed("truncated") }
            let name = try checkedName(try bytes.slice(at + 46, nameLength), utf8: flags & 0x800 != 0)
            if seen.insert(name).inserted {
                entries.append(Entry(name: name, method: method, flags: flags, crc32: crc,
                                     compressedSize: Int(compressed), uncompressedSize: Int(uncompressed),
                                     localHeaderOffset: Int(localOffset)))
            }
            at = next
        }
        return entries
    }

    /// The offset of the end-of-central-directory record: the last signature, searching back over at
    /// most 65,557 bytes, whose comment length fits in what follows it.
    private static func endRecord(_ bytes: LittleEndian) throws(DocumentFormatError) -> Int {
        let raw = bytes.raw
        guard raw.count >= 22 else { throw .malformed("truncated, or not a zip archive") }
        let lowest = max(0, raw.count - endSearchSpan)
        var at = raw.count - 22
        while at >= lowest {
            if raw[at] == 0x50, raw[at + 1] == 0x4b, raw[at + 2] == 0x05, raw[at + 3] == 0x06,
               at + 22 + Int(try bytes.u16(at + 20)) <= raw.count {
                return at
            }
            at -= 1
        }
        throw .malformed("truncated, or not a zip archive")
    }

    /// The entry name, decoded as UTF-8 (flag bit 11, or bytes that happen to be valid UTF-8) or else
    /// byte for byte as Latin-1 (the standard says code page 437; only non-ASCII names differ).
    private static func checkedName(_ raw: UnsafeRawBufferPointer, utf8: Bool) throws(DocumentFormatError) -> String {
        let name = String(bytes: raw, encoding: .utf8)
            ?? (utf8 ? String(decoding: raw, as: UTF8.self) : String(bytes: raw, encoding: .isoLatin1) ?? "")
        let climbs = name.hasPrefix("/") || name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
        if climbs || raw.contains(0) || raw.contains(0x5C) {
            throw .refused("an entry named \(printable(name))")
        }
        return name
    }

    // MARK: - Reading one entry

    private func contents(of entry: Entry, in bytes: LittleEndian) throws(DocumentFormatError) -> Data {
        let header = entry.localHeaderOffset
        guard try bytes.u32(header) == Self.localSignature else {
            throw .malformed("no local header for \(Self.printable(entry.name))")
        }
        if try bytes.u16(header + 6) & 1 != 0 { throw .refused("encrypted") }
        let start = header + 30 + Int(try bytes.u16(header + 26)) + Int(try bytes.u16(header + 28))
        let input = try bytes.slice(start, entry.compressedSize)
        let output: Data
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .malformed("\(Self.printable(entry.name)) has two sizes")
            }
            output = Data(input)
        } else {
            output = try inflated(input, entry)
        }
        let sum = output.withUnsafeBytes { Self.checksum($0) }
        guard sum == entry.crc32 else { throw .malformed("checksum of \(Self.printable(entry.name))") }
        return output
    }

    /// Raw-inflates `input` into a buffer that starts at four times the input (64 KiB at least) and
    /// doubles up to the declared size plus one byte: reaching that byte means the header lied, and
    /// inflating stops there rather than trusting the claim.
    private func inflated(_ input: UnsafeRawBufferPointer, _ entry: Entry) throws(DocumentFormatError) -> Data {
        let name = Self.printable(entry.name)
        let ceiling = entry.uncompressedSize + 1
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .refused("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)  // at most 0xFFFF_FFFE: ZIP64 sizes were refused

        var output = Data(count: min(ceiling, max(64 << 10, input.count * 4)))
        var produced = 0
        while true {
            if produced == output.count {
                guard output.count < ceiling else { throw .malformed("\(name) is larger than its header says") }
                output.count = min(ceiling, output.count * 2)
            }
            let room = min(output.count - produced, Int(UInt32.max))
            let status: Int32 = output.withUnsafeMutableBytes { buffer in
                stream.next_out = buffer.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(room)
                return inflate(&stream, Z_NO_FLUSH)
            }
            produced += room - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                output.count = produced
                guard produced == entry.uncompressedSize else {
                    throw .malformed("\(name) is shorter than its header says")
                }
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress was possible: with output room left, the input ran out before the end.
                if stream.avail_out == 0 { continue }
                throw .malformed("truncated")
            case Z_MEM_ERROR:
                throw .refused("out of memory inflating \(name)")
            default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
                throw .malformed("\(name) is corrupt")
            }
        }
    }

    /// zlib's CRC-32, fed in 1 GiB pieces since its length argument is 32-bit.
    private static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        var sum = crc32(0, nil, 0)
        guard let base = raw.baseAddress else { return UInt32(truncatingIfNeeded: sum) }
        var offset = 0
        while offset < raw.count {
            let length = min(raw.count - offset, 1 << 30)
            sum = crc32(sum, base.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: sum)
    }

    // MARK: - Messages

    /// A name fit for a one-line message: control characters shown as `?`, at most 100 characters.
    private static func printable(_ name: String) -> String {
        let scalars = name.unicodeScalars.prefix(100).map { $0.properties.generalCategory == .control ? "?" : Character($0) }
        return String(scalars) + (name.unicodeScalars.count > 100 ? "…" : "")
    }

    private static func amount(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}

/// Bounds-checked little-endian reads over the archive's bytes: an offset or length out of range
/// throws `.malformed("truncated")` instead of trapping or reading past the end.
private struct LittleEndian {
    let raw: UnsafeRawBufferPointer

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    func u16(_ at: Int) throws(DocumentFormatError) -> UInt16 {
        guard at >= 0, at <= raw.count - 2 else { throw .malformed("truncated") }
        return UInt16(raw[at]) | UInt16(raw[at + 1]) << 8
    }

    func u32(_ at: Int) throws(DocumentFormatError) -> UInt32 {
        guard at >= 0, at <= raw.count - 4 else { throw .malformed("truncated") }
        return UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24
    }

    func slice(_ at: Int, _ length: Int) throws(DocumentFormatError) -> UnsafeRawBufferPointer {
        guard at >= 0, length >= 0, at <= raw.count - length else { throw .malformed("truncated") }
        return UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)])
    }
}
