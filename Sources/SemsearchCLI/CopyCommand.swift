import ArgumentParser
import Foundation
import SemsearchKit

/// `semsearch copy SRC DST`: an index to another database without re-embedding.
struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an index to another database without re-embedding.",
        discussion: """
            SRC and DST are each a SQLite file or a postgres:// URL (with schema=NAME to pick the
            schema): a local index moves to a team's PostgreSQL server, or back, or to another file
            or schema. Settings, adapters, quantizers, chunks and the stored vectors are copied as
            they are; DST must not hold an index yet. Both are locked for the copy.
              semsearch copy ~/.local/share/semsearch/index.sqlite 'postgres://me@db.example/team?schema=wiki'
            """)

    @Argument(help: ArgumentHelp("The index to copy (a path or a postgres:// URL).", valueName: "SRC"))
    var source: String

    @Argument(help: ArgumentHelp("Where to copy it (a new path, or a postgres:// URL whose schema holds no index).", valueName: "DST"))
    var destination: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let from = try IndexLocation.open(source, create: false)
        let fromLock = try from.lock(for: .indexing)
        let to = try IndexLocation.open(destination, create: true)
        let toLock = try to.lock(for: .indexing)
        // A count that overwrites itself, on a terminal only.
        let live = !quiet && isatty(STDERR_FILENO) != 0
        let summary = try withExtendedLifetime((fromLock, toLock)) {
            try IndexCopy.run(from: from, to: to) { files in
                if live { FileHandle.standardError.write(Data("\rcopied \(files) files".utf8)) }
            }
        }
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if !quiet {
            print(String(format: "copied %d files, %d chunks from %@ to %@ in %.1f s", summary.files, summary.chunks, from.address, to.address, summary.seconds))
        }
    }
}
