import Foundation

/// The text of an EPUB (2 or 3): `META-INF/container.xml` names the package document (OPF),
/// whose spine gives the reading order; each XHTML document in it goes through the HTML path
/// (headings kept as Markdown headings). A chapter without a heading of its own is headed by its
/// `<title>`, so its chunks still say which chapter they are in. Spine items that are not
/// (X)HTML, or are missing, are passed over. A chapter's location is its place in the spine
/// (the cover and title page count, as a reader's table of contents lists them).
enum EPUBText {
    static func extract(_ archive: ZipArchive) throws(DocumentFormatError) -> LocatedText {
        let package = try packagePath(archive)
        let folder = (package as NSString).deletingLastPathComponent
        var manifest: [String: (href: String, type: String)] = [:]
        var spine: [String] = []
        var scanner = XMLScanner(try archive.read(package))
        try scanner.forEach { event throws(DocumentFormatError) in
            guard case .start(let name, let attributes, _) = event else { return }
            switch name.split(separator: ":").last {
            case "item":
                if let id = attributes["id"], let href = attributes["href"] {
                    manifest[id] = (ArchivePath.resolve(href, from: folder), attributes["media-type"] ?? "")
                }
            case "itemref":
                if let id = attributes["idref"], attributes["linear"] != "no" { spine.append(id) }
            default: break
            }
        }
        guard !spine.isEmpty else { throw .missingPart("spine in \(package)") }
        var chapters: [(number: Int, text: String)] = []
        for (index, id) in spine.enumerated() {
            guard let item = manifest[id], item.type.contains("html") || item.href.hasSuffix("html") || item.href.hasSuffix(".htm"),
                  let entry = archive.entry(item.href) else { continue }
            let html = String(decoding: try archive.read(entry), as: UTF8.self)
            var text = HTMLText.extract(Self.movingNotes(Self.body(of: html)))
            if !text.hasPrefix("#"), let title = Self.title(of: html), !title.hasSuffix("html"), title != (item.href as NSString).lastPathComponent {
                text = "# " + title + (text.isEmpty ? "" : "\n\n" + text)
            }
            if !text.isEmpty { chapters.append((index + 1, text)) }
        }
        return .joining(chapters, unit: .chapter)
    }

    /// The OPF's path, from the container's first `rootfile`.
    private static func packagePath(_ archive: ZipArchive) throws(DocumentFormatError) -> String {
        var scanner = XMLScanner(try archive.read("META-INF/container.xml"))
        var path: String?
        try scanner.forEach { event throws(DocumentFormatError) in
            if path == nil, case .start(let name, let attributes, _) = event, name.hasSuffix("rootfile"), let full = attributes["full-path"] {
                path = ArchivePath.resolve(full, from: "")
            }
        }
        guard let path else { throw .missingPart("rootfile in META-INF/container.xml") }
        return path
    }

    /// The document's `<body>` (the head's title and styles are not chapter text).
    static func body(of html: String) -> String {
        guard let open = html.range(of: "<body", options: .caseInsensitive) else { return html }
        let rest = html[open.lowerBound...]
        let close = rest.range(of: "</body>", options: [.caseInsensitive, .backwards])
        return String(close.map { rest[..<$0.upperBound] } ?? rest)
    }

    /// Footnote markers and back-links (`epub:type="noteref"`, pandoc's `footnote-ref`/`footnote-back`,
    /// the `doc-noteref`/`doc-backlink` roles) taken out, so no "1" or "↩" sticks to a word, and a
    /// `Notes` heading put before the notes section, so notes are not read as the last section.
    static func movingNotes(_ html: String) -> String {
        let markers = ["noteref", "footnote-ref", "footnote-back", "doc-backlink"]
        var out = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<a ", options: .caseInsensitive) {
            guard let tagEnd = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[open.lowerBound...tagEnd]
            if markers.contains(where: { tag.contains($0) }), let close = rest[tagEnd...].range(of: "</a>", options: .caseInsensitive) {
                out += rest[..<open.lowerBound]
                rest = rest[close.upperBound...]
            } else {
                out += rest[..<rest.index(after: tagEnd)]
                rest = rest[rest.index(after: tagEnd)...]
            }
        }
        out += rest
        for marker in ["epub:type=\"footnotes\"", "role=\"doc-endnotes\"", "epub:type=\"footnote\""] {
            if let found = out.range(of: marker), let start = out[..<found.lowerBound].lastIndex(of: "<") {
                out.insert(contentsOf: "<h1>Notes</h1>", at: start)
                break
            }
        }
        return out
    }

    /// The text of the document's `<title>`, if it has a non-empty one.
    static func title(of html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
              let start = html[open.upperBound...].firstIndex(of: ">"),
              let close = html[start...].range(of: "</title>", options: .caseInsensitive) else { return nil }
        let title = HTMLText.extract(String(html[html.index(after: start)..<close.lowerBound]))
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : title
    }
}
