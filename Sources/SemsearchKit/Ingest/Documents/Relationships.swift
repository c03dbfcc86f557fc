import Foundation

/// The relationships of an OOXML part (`_rels/NAME.rels` beside it): id → type and target, the
/// target resolved to a path inside the archive.
enum Relationships {
    struct Relationship { var type: String; var target: String }

    static func of(_ part: String, in archive: ZipArchive) throws(DocumentFormatError) -> [String: Relationship] {
        let folder = (part as NSString).deletingLastPathComponent
        let rels = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (part as NSString).lastPathComponent + ".rels"
        guard let entry = archive.entry(rels) else { return [:] }
        var scanner = XMLScanner(try archive.read(entry))
        var found: [String: Relationship] = [:]
        try scanner.forEach { event throws(DocumentFormatError) in
            guard case .start("Relationship", let attributes, _) = event, let id = attributes["Id"], let target = attributes["Target"],
                  attributes["TargetMode"] != "External" else { return }
            found[id] = Relationship(type: attributes["Type"] ?? "", target: ArchivePath.resolve(target, from: folder))
        }
        return found
    }
}
