import SemsearchCore
import SemsearchEncoder
import Foundation

/// Turns a file into text: plain text, Markdown, reStructuredText, Org, source code and data files
/// as they are; HTML with tags stripped (headings kept as Markdown headings so chunks get
/// breadcrumbs); Office, OpenDocument, EPUB, RTF and e-mail files read in process
/// (``DocumentFormat``), as Markdown-shaped text; PDF through `pdftotext` when it is installed.
///
/// Binary files (a NUL byte in the first 8 KiB, or more than 1% invalid UTF-8) are refused; text
/// with a few invalid UTF-8 sequences is read with them replaced. Byte ranges of chunks refer to the
/// extracted text, which is the file itself for plain text, Markdown and code, not for HTML, PDF
/// or the document formats. Those formats, and PDF, also say where their pages, slides, chapters,
/// messages or paragraphs begin (``ExtractedDocument/locations``).
public struct Extractor: Sendable {
    public var maxFileSize: Int

    public init(maxFileSize: Int = 10 << 20) {
        self.maxFileSize = maxFileSize
    }

    /// Whether a file's indexed text is converted from it (HTML, PDF, the ``DocumentFormat``s)
    /// rather than the file itself: its chunks' lines are lines of the extracted text.
    public static func convertsText(fileName: String) -> Bool {
        let name = fileName.lowercased()
        return DocumentFormat.of(fileName: name) != nil || [".pdf", ".html", ".htm", ".xhtml"].contains { name.hasSuffix($0) }
    }

    public func extract(path: String) throws -> ExtractedDocument {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            throw IngestError.unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "permission denied or gone")
        }
        guard data.count <= maxFileSize else { throw IngestError.tooLarge(path: path, size: data.count, limit: maxFileSize) }
        let hash = ContentHash.of(data)
        let name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".pdf") {
            let text = try pdfText(path)
            return ExtractedDocument(text: text, kind: .plain, hash: hash, hadInvalidUTF8: false, locations: .pages(in: text))
        }
        if let format = DocumentFormat.of(fileName: name) {
            do {
                let document = try format.read(data)
                return ExtractedDocument(text: document.text, kind: .markdown, hash: hash, hadInvalidUTF8: false,
                                         locations: document.locations)
            } catch {
                if case .refused = error { throw IngestError.refusedDocument(path: path, reason: error.description) }
                throw IngestError.extractionFailed(path: path, reason: error.description)
            }
        }
        if data.prefix(8192).contains(0) { throw IngestError.binary(path) }
        let (text, invalid) = Self.decode(data)
        guard invalid * 100 <= data.count else { throw IngestError.notText(path) }
        if name.hasSuffix(".html") || name.hasSuffix(".htm") || name.hasSuffix(".xhtml") {
            return ExtractedDocument(text: HTMLText.extract(text), kind: .markdown, hash: hash, hadInvalidUTF8: invalid > 0)
        }
        return ExtractedDocument(text: text, kind: DocumentKind.of(fileName: name), hash: hash, hadInvalidUTF8: invalid > 0)
    }

    /// UTF-8 decoding that counts the invalid sequences it replaces.
    static func decode(_ data: Data) -> (String, invalid: Int) {
        if let text = String(validating: data, as: UTF8.self) { return (text, 0) }
        var invalid = 0
        var scalars = String.UnicodeScalarView()
        var decoder = UTF8()
        var iterator = data.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: invalid += 1; scalars.append("\u{FFFD}")
            }
        }
        return (String(scalars), invalid)
    }

    private func pdfText(_ path: String) throws -> String {
        guard let tool = Self.which("pdftotext") else { throw IngestError.extractorMissing(path: path, tool: "pdftotext") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", "-q", path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw IngestError.extractionFailed(path: path, reason: "cannot run pdftotext") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw IngestError.extractionFailed(path: path, reason: "pdftotext exited with \(process.terminationStatus)")
        }
        return Self.decode(data).0
    }

    static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
