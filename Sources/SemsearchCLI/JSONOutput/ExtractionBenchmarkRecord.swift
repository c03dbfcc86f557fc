import Foundation

/// The line `semsearch bench extract --json` prints: per format, the files, their bytes, the bytes
/// of text extracted, the seconds (the fastest of the runs, summed over files), the speed in
/// decimal MB of input a second, and the files that could not be read; then all formats together.
struct ExtractionBenchmarkRecord: Encodable {
    struct Format: Encodable {
        var format: String
        var files = 0
        var bytes = 0
        var textBytes = 0
        var seconds = 0.0
        var failed = 0
        var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }

        enum CodingKeys: String, CodingKey { case format, files, bytes, textBytes = "text_bytes", seconds, failed, megabytesPerSecond = "mb_per_s" }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(format, forKey: .format)
            try c.encode(files, forKey: .files)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(textBytes, forKey: .textBytes)
            try c.encode(JSONOutput.rounded(seconds), forKey: .seconds)
            try c.encode(failed, forKey: .failed)
            try c.encode(JSONOutput.rounded(megabytesPerSecond, places: 1), forKey: .megabytesPerSecond)
        }
    }

    var formats: [Format]
    var total: Format {
        formats.reduce(into: Format(format: "all")) { sum, row in
            sum.files += row.files
            sum.bytes += row.bytes
            sum.textBytes += row.textBytes
            sum.seconds += row.seconds
            sum.failed += row.failed
        }
    }

    enum CodingKeys: String, CodingKey { case formats, total }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formats, forKey: .formats)
        try c.encode(total, forKey: .total)
    }
}
