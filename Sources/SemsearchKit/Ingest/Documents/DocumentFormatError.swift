import Foundation

/// Why a document container or format could not be read: damaged, or built to hurt a reader
/// (a zip bomb, thousands of entries, names that climb out with `..`, encryption, a DTD that could
/// expand entities). Each is one line for the user; the file is skipped and counted, never written
/// anywhere, and the rest of the folder is indexed.
public enum DocumentFormatError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not what the format says (truncated, bad offsets, bad XML, bad checksums).
    case malformed(String)
    /// The file is refused on purpose, to bound memory and time or because it is hostile.
    case refused(String)
    /// A part the format needs is missing (e.g. a .docx without word/document.xml).
    case missingPart(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "damaged (\(why))"
        case .refused(let why): return "refused (\(why))"
        case .missingPart(let part): return "no \(part) inside"
        }
    }
}
