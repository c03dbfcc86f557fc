import ArgumentParser
import Foundation
import SemsearchKit

extension Bench {
    struct ExtractBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extract",
            abstract: "Extract the text of every file in a folder and report MB/s per format.",
            discussion: """
            Each file is read once to warm the page cache, then extracted --runs times; the fastest run \
            of each file counts, so the figure is the reader's speed, not the disk's. Formats are the \
            document formats (docx, pptx, odt, odp, epub, rtf, eml, mbox) and otherwise the file's extension.
            """
        )

        @Argument(help: "A folder of documents.")
        var folder: String

        @Option(help: "Extractions of each file; the fastest counts.")
        var runs = 3

        @Flag(help: "Print one JSON line.")
        var json = false

        func run() throws {
            let report = try Crawler(maxFileSize: Int.max, includeGenerated: true).crawl(root: folder)
            let extractor = Extractor(maxFileSize: Int.max)
            var rows: [String: ExtractionBenchmarkRecord.Format] = [:]
            for file in report.files {
                let key = DocumentFormat.label(fileName: (file.path as NSString).lastPathComponent)
                var row = rows[key] ?? ExtractionBenchmarkRecord.Format(format: key)
                row.files += 1
                row.bytes += file.size
                _ = FileManager.default.contents(atPath: file.path)
                var best = Double.infinity
                var textBytes = 0
                var failed = false
                for _ in 0..<max(1, runs) {
                    let started = ResourceUsage.now()
                    do {
                        textBytes = try extractor.extract(path: file.path).text.utf8.count
                    } catch {
                        failed = true
                    }
                    best = min(best, ResourceUsage.now() - started)
                }
                if failed { row.failed += 1 }
                row.textBytes += textBytes
                row.seconds += best
                rows[key] = row
            }
            let record = ExtractionBenchmarkRecord(formats: rows.values.sorted { $0.format < $1.format })
            if json {
                print(JSONOutput.line(record))
                return
            }
            print("format    files        MB   text MB         s      MB/s  failed")
            for row in record.formats + [record.total] {
                print(row.format.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + String(format: " %6d %9.2f %9.2f %9.3f %9.1f %7d", row.files, Double(row.bytes) / 1e6,
                               Double(row.textBytes) / 1e6, row.seconds, row.megabytesPerSecond, row.failed))
            }
        }
    }
}
