import Foundation

/// Every `--json` output of the commands is an `Encodable` record in this folder, encoded here:
/// one object a line, keys sorted (so output is the same from run to run), slashes unescaped.
/// Field names live in each record's `CodingKeys`, with what they mean in its doc comments;
/// the man page lists them for users.
///
/// `semsearch embed` is the one exception: it echoes the caller's own JSON fields verbatim and
/// writes vectors at volume, so it stays with ``JSONText``.
enum JSONOutput {
    /// `value` as one line of JSON, without the newline.
    static func line<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            // Only a non-conforming value can fail, and the strategy above covers those.
            preconditionFailure("JSON output for \(T.self) failed: \(error)")
        }
    }

    /// `x` rounded to `places` decimals, for figures whose last digits are noise.
    static func rounded(_ x: Double, places: Int = 4) -> Double {
        let scale = pow(10, Double(places))
        return (x * scale).rounded() / scale
    }
}
