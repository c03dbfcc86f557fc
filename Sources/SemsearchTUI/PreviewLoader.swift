import Foundation
import SemsearchKit

/// Reads the lines of a file around a chunk for the preview pane: of the file itself, or, for a
/// file whose text is converted (HTML, PDF, Office, OpenDocument, EPUB, RTF, e-mail), of the text
/// extracted from it again, since that is what the chunk's lines count. A file that cannot be
/// read, or that no longer has the chunk's lines, is stood in for by the chunk's indexed text,
/// with a note.
enum PreviewLoader {
    /// Files larger than this are previewed from the indexed text (well above the indexer's default
    /// limit of 10 MiB; only a raised `--max-file-size` indexes larger ones).
    static let maximumBytes = 64 << 20

    static func load(_ request: PreviewRequest) -> Preview {
        let first = max(1, request.chunkLines.lowerBound - request.context)
        let last = request.chunkLines.upperBound + request.context
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: request.path),
              (attributes[.size] as? Int ?? 0) <= maximumBytes,
              let data = contents(request.path) else {
            return indexed(request, note: "file not readable; indexed text shown")
        }
        var lines: [String] = []
        var lineNumber = 1, start = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            while index <= bytes.count, lineNumber <= last {
                if index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
                    if lineNumber >= first {
                        var end = index
                        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                        lines.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                    }
                    lineNumber += 1
                    start = index + 1
                }
                index += 1
            }
        }
        guard first + lines.count - 1 >= request.chunkLines.upperBound else {
            return indexed(request, note: "file changed since indexing; indexed text shown")
        }
        return Preview(chunkID: request.chunkID, path: request.path, firstLine: first, lines: lines, chunkLines: request.chunkLines)
    }

    /// The file's bytes, or the UTF-8 of the text extracted from it.
    private static func contents(_ path: String) -> Data? {
        guard Extractor.convertsText(fileName: (path as NSString).lastPathComponent) else { return FileManager.default.contents(atPath: path) }
        return (try? Extractor(maxFileSize: maximumBytes).extract(path: path)).map { Data($0.text.utf8) }
    }

    private static func indexed(_ request: PreviewRequest, note: String) -> Preview {
        Preview(indexedText: request.indexedText, chunkID: request.chunkID, path: request.path, chunkLines: request.chunkLines, note: note)
    }
}
