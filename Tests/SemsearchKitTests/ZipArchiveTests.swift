import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

/// The archives are written by real tools (Info-ZIP's `zip` where installed, Python's `zipfile`
/// always), never by a writer of our own that would share the reader's misreadings. Damage and
/// hostile fields are then patched into those bytes.
@Suite struct ZipArchiveTests {
    @Test func storedAndDeflatedEntriesRoundTripInOrder() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var state: UInt32 = 12_345
        let binary = Data((0..<1_500).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        })
        let text = Data((0..<120).map { "Line \($0): the quick brown fox jumps over the lazy dog.\n" }.joined().utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try binary.write(to: dir.appendingPathComponent("a.bin"))
        try text.write(to: dir.appendingPathComponent("docs/b.txt"))

        var writers = ["python"]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") { writers.append("zip") }
        for writer in writers {
            if writer == "zip" {
                // -n .bin stores the binary; -D adds no "docs/" directory entry.
                try ExternalTool.run("/usr/bin/zip", ["-q", "-X", "-D", "-n", ".bin", "zip.zip", "a.bin", "docs/b.txt"], in: dir)
            } else {
                try ExternalTool.python("""
                    import zipfile
                    with zipfile.ZipFile('python.zip', 'w') as z:
                        z.write('a.bin', compress_type=zipfile.ZIP_STORED)
                        z.write('docs/b.txt', compress_type=zipfile.ZIP_DEFLATED)
                    """, in: dir)
            }
            let archive = try ZipArchive(data: Data(contentsOf: dir.appendingPathComponent("\(writer).zip")))
            #expect(archive.entries.map(\.name) == ["a.bin", "docs/b.txt"], "\(writer)")
            #expect(archive.entries.map(\.method) == [0, 8], "\(writer)")
            #expect(try archive.read("a.bin") == binary, "\(writer)")
            #expect(try archive.read("docs/b.txt") == text, "\(writer)")
            let deflated = try #require(archive.entry(caseInsensitive: "DOCS/B.TXT"))
            #expect(deflated.name == "docs/b.txt")
            #expect(deflated.compressedSize < text.count / 4)
            #expect(archive.entry("DOCS/B.TXT") == nil)
            #expect(failure { _ = try archive.read("word/document.xml") } == .missingPart("word/document.xml"))
        }
    }

    @Test func aZipBombIsRefusedBeforeItInflates() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 50 MB of zeros deflates to about 51 KB: a ratio near 1,000.
        try ExternalTool.python("""
            import zipfile
            with zipfile.ZipFile('bomb.zip', 'w') as z:
                z.writestr(zipfile.ZipInfo('word/document.xml'), b'\\0' * (50 << 20),
                           compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            """, in: dir)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("bomb.zip"))
        #expect(bytes.count < 100_000)

        let archive = try ZipArchive(data: bytes)
        #expect(archive.entries.count == 1)
        let refusal = failure { _ = try archive.read("word/document.xml") }?.refusal
        #expect(refusal?.contains("zip bomb") == true, "\(String(describing: refusal))")

        let clock = ContinuousClock()
        let start = clock.now
        let small = try ZipArchive(data: bytes, limits: ZipArchive.Limits(maxEntryBytes: 1 << 20))
        let sizeRefusal = failure { _ = try small.read("word/document.xml") }?.refusal
        #expect(sizeRefusal?.contains("inflates past 1 MiB") == true, "\(String(describing: sizeRefusal))")
        #expect(clock.now - start < .seconds(1))

        // A directory that claims 1,000 bytes is not believed: inflating stops one chunk past the claim.
        var lying = bytes
        let record = try #require(centralDirectory(lying))
        patch32(&lying, at: record + 24, 1_000)
        let liar = try ZipArchive(data: lying)
        #expect(failure { _ = try liar.read("word/document.xml") } == .malformed("word/document.xml is larger than its header says"))
    }

    @Test func thousandsOfEntriesAreRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ExternalTool.python("""
            import zipfile
            with zipfile.ZipFile('many.zip', 'w') as z:
                for i in range(6000):
                    z.writestr('e%d.txt' % i, b'x')
            """, in: dir)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("many.zip"))
        let refusal = failure { _ = try ZipArchive(data: bytes) }?.refusal
        #expect(refusal?.contains("entries") == true, "\(String(describing: refusal))")
        #expect(try ZipArchive(data: bytes, limits: ZipArchive.Limits(maxEntries: 6_000)).entries.count == 6_000)
    }

    @Test func namesThatClimbOutAreRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = ["../evil.txt", "/etc/evil", "word/../../evil.txt", "word\\\\evil.txt"]
        try ExternalTool.python("""
            import zipfile
            for i, name in enumerate([\(names.map { "'\($0)'" }.joined(separator: ", ")), 'a..b/c..txt']):
                with zipfile.ZipFile('%d.zip' % i, 'w') as z:
                    z.writestr('ok.txt', b'fine')
                    z.writestr(zipfile.ZipInfo(name), b'evil')
            """, in: dir)
        for index in names.indices {
            let bytes = try Data(contentsOf: dir.appendingPathComponent("\(index).zip"))
            let refusal = failure { _ = try ZipArchive(data: bytes) }?.refusal
            #expect(refusal?.hasPrefix("an entry named ") == true, "\(names[index]): \(String(describing: refusal))")
        }
        let harmless = try ZipArchive(data: Data(contentsOf: dir.appendingPathComponent("\(names.count).zip")))
        #expect(harmless.entries.map(\.name) == ["ok.txt", "a..b/c..txt"])
    }

    @Test func damageThrowsAndNeverCrashes() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ExternalTool.python("""
            import zipfile
            with zipfile.ZipFile('good.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                for i in range(3):
                    z.writestr('part%d.xml' % i, ('<p>paragraph %d of part %d</p>' % (i, i) + 'text ' * 40) * 20)
                z.writestr('stored.txt', b'stored bytes', compress_type=zipfile.ZIP_STORED)
            """, in: dir)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("good.zip"))
        let archive = try ZipArchive(data: bytes)
        #expect(archive.entries.count == 4)
        for entry in archive.entries { _ = try archive.read(entry) }

        let truncated = failure { _ = try ZipArchive(data: bytes.prefix(bytes.count * 6 / 10)) }
        #expect(truncated?.isMalformed == true, "\(String(describing: truncated))")

        // Every prefix, and every byte flipped in turn: an error or a result, never a trap.
        for length in stride(from: 0, through: bytes.count, by: 7) {
            readEverything(Data(bytes.prefix(length)))
        }
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[position] ^= 0xFF
            readEverything(damaged)
        }

        // Damage inside the deflate data is caught by zlib or by the CRC-32.
        let first = archive.entries[0]
        let dataStart = first.localHeaderOffset + 30 + Int(read16(bytes, at: first.localHeaderOffset + 26))
            + Int(read16(bytes, at: first.localHeaderOffset + 28))
        for position in dataStart..<(dataStart + first.compressedSize) {
            var damaged = bytes
            damaged[position] ^= 0x55
            let error = failure { _ = try ZipArchive(data: damaged).read(first.name) }
            #expect(error?.isMalformed == true, "byte \(position - dataStart): \(String(describing: error))")
        }
    }

    @Test func encryptionOtherMethodsAndZip64AreRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ExternalTool.python("""
            import zipfile
            with zipfile.ZipFile('one.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('content.xml', '<text>secret</text>' * 50)
            """, in: dir)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("one.zip"))
        let record = try #require(centralDirectory(bytes))
        let end = try #require(endRecord(bytes))

        // zipfile cannot encrypt: set flag bit 0 in the local header (offset 6) and the directory (offset 8).
        var encrypted = bytes
        encrypted[6] |= 1
        encrypted[record + 8] |= 1
        #expect(failure { _ = try ZipArchive(data: encrypted).read("content.xml") } == .refused("encrypted"))

        var bzip2 = bytes
        bzip2[record + 10] = 12
        #expect(failure { _ = try ZipArchive(data: bzip2).read("content.xml") } == .refused("compression method 12"))

        var zip64 = bytes
        patch32(&zip64, at: end + 16, 0xFFFF_FFFF)
        #expect(failure { _ = try ZipArchive(data: zip64) } == .refused("zip64 archives are not read"))
    }

    // MARK: - Helpers

    /// Opens the archive and reads every entry, ignoring the errors: only a trap fails the test.
    private func readEverything(_ bytes: Data) {
        guard let archive = try? ZipArchive(data: bytes) else { return }
        for entry in archive.entries { _ = try? archive.read(entry) }
    }

    /// The `DocumentFormatError` that `body` throws; nil when it returns or throws anything else.
    private func failure(_ body: () throws -> Void) -> DocumentFormatError? {
        do { try body() } catch let error as DocumentFormatError { return error } catch { return nil }
        return nil
    }

    /// The offset of the end-of-central-directory record: the last "PK\u{5}\u{6}" in the file.
    private func endRecord(_ bytes: Data) -> Int? {
        let raw = [UInt8](bytes)
        return stride(from: raw.count - 22, through: 0, by: -1).first {
            raw[$0] == 0x50 && raw[$0 + 1] == 0x4b && raw[$0 + 2] == 0x05 && raw[$0 + 3] == 0x06
        }
    }

    /// The offset of the first central-directory record, as the end record gives it.
    private func centralDirectory(_ bytes: Data) -> Int? {
        endRecord(bytes).map { Int(read16(bytes, at: $0 + 16)) | Int(read16(bytes, at: $0 + 18)) << 16 }
    }

    private func read16(_ bytes: Data, at offset: Int) -> UInt16 {
        UInt16(bytes[bytes.startIndex + offset]) | UInt16(bytes[bytes.startIndex + offset + 1]) << 8
    }

    private func patch32(_ bytes: inout Data, at offset: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[bytes.startIndex + offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}

private extension DocumentFormatError {
    var refusal: String? {
        if case .refused(let why) = self { return why }
        return nil
    }

    var isMalformed: Bool {
        if case .malformed = self { return true }
        return false
    }
}
