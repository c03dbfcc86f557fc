import Foundation

/// The document formats read in process, by file extension: Office (`.docx`, `.pptx`),
/// OpenDocument (`.odt`, `.odp`), EPUB, RTF and e-mail (`.eml`, mbox). Each becomes
/// Markdown-shaped text, so the chunker sees its headings, paragraphs and slides.
public enum DocumentFormat: String, CaseIterable, Sendable {
    case docx, pptx, odt, odp, epub, rtf, eml, mbox

    /// The format of a file name, if it is one of these.
    public static func of(fileName: String) -> DocumentFormat? {
        let lower = fileName.lowercased()
        guard let dot = lower.lastIndex(of: ".") else { return nil }
        switch lower[lower.index(after: dot)...] {
        case "docx", "docm": return .docx
        case "pptx", "pptm": return .pptx
        case "odt": return .odt
        case "odp": return .odp
        case "epub": return .epub
        case "rtf": return .rtf
        case "eml": return .eml
        case "mbox", "mbx": return .mbox
        default: return nil
        }
    }

    /// The document's text, Markdown-shaped.
    public func text(of data: Data) throws(DocumentFormatError) -> String {
        switch self {
        case .docx: return try WordDocumentText.extract(try ZipArchive(data: data))
        case .pptx: return try SlideDeckText.extract(try ZipArchive(data: data))
        case .odt, .odp: return try OpenDocumentText.extract(try ZipArchive(data: data))
        case .epub: return try EPUBText.extract(try ZipArchive(data: data))
        case .rtf: return try RTFText.extract(data)
        case .eml: return Self.email(try EmailText.message(data))
        case .mbox: return try EmailText.mbox(data).map(Self.email).joined(separator: "\n\n")
        }
    }

    /// A message's text, then each attachment in a format read here as a section of its own
    /// (`# Attachment: NAME`); attachments of other formats are left out.
    private static func email(_ message: EmailText.Message) -> String {
        var text = EmailText.text(of: message)
        for attachment in message.attachments {
            let name = attachment.fileName
            let body: String?
            if let format = DocumentFormat.of(fileName: name), format != .eml, format != .mbox {
                body = try? format.text(of: attachment.data)
            } else if [".txt", ".md", ".markdown"].contains(where: { name.lowercased().hasSuffix($0) }) {
                body = String(decoding: attachment.data, as: UTF8.self)
            } else if [".html", ".htm"].contains(where: { name.lowercased().hasSuffix($0) }) {
                body = HTMLText.extract(String(decoding: attachment.data, as: UTF8.self))
            } else {
                body = nil
            }
            if let body = body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty {
                text += "\n\n# Attachment: \(name)\n\n" + body
            }
        }
        return text
    }
}
