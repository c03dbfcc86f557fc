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

    /// What a file is counted as in `status` and `bench extract`: its document format, else its
    /// extension in lower case (`md`, `pdf`, `swift`), else `none`.
    public static func label(fileName: String) -> String {
        if let format = of(fileName: fileName) { return format.rawValue }
        let ext = (fileName as NSString).pathExtension.lowercased()
        return ext.isEmpty ? "none" : ext
    }

    /// The document's text, Markdown-shaped.
    public func text(of data: Data) throws(DocumentFormatError) -> String {
        try read(data).text
    }

    /// The document's text and where its units begin: slides (PPTX, ODP), chapters (EPUB),
    /// messages (mbox), paragraphs (DOCX, ODT, RTF, `.eml`).
    public func read(_ data: Data) throws(DocumentFormatError) -> LocatedText {
        switch self {
        case .docx: return .paragraphs(try WordDocumentText.extract(try ZipArchive(data: data)))
        case .pptx: return try SlideDeckText.extract(try ZipArchive(data: data))
        case .odt, .odp: return try OpenDocumentText.extract(try ZipArchive(data: data))
        case .epub: return try EPUBText.extract(try ZipArchive(data: data))
        case .rtf: return .paragraphs(try RTFText.extract(data))
        case .eml: return .paragraphs(Self.email(try EmailText.message(data)))
        case .mbox: return .joining(try EmailText.mbox(data).map { ($0.number, Self.email($0)) }, unit: .message)
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
