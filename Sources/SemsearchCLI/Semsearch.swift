import ArgumentParser
import Foundation
import SemsearchKit
import SemsearchTUI

/// The `semsearch` command line: the root command and its subcommands, in a library so tests can
/// parse arguments in-process; the executable only calls `main()`.
public struct Semsearch: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "semsearch",
        abstract: "Local, offline semantic search for your own folders.",
        discussion: "Every layer's embedding is computed in one pass, so any (layer, dim) can be compared — 2D Matryoshka.",
        version: SemsearchVersion.current,
        subcommands: [TUI.self, Index.self, Search.self, Status.self, Copy.self, Calibrate.self, Embed.self, Eval.self, Model.self, Bench.self, MCP.self],
        defaultSubcommand: TUI.self
    )

    /// Runs the command. Help and version print as usual; a command's own `ExitCode` (search: 1 for
    /// nothing found) exits with that status and prints nothing; every other error prints as one line
    /// `semsearch: …` on stderr and exits with status 2.
    public static func main() {
        // Process-wide settings live here, at the edge, not in the libraries: the character-type
        // locale the screen measures text with, and OpenBLAS's idle workers, which would spin
        // beside a short process (a search embeds one query on one thread); commands that want
        // more BLAS threads ask for them and the workers start again.
        TerminalLocale.useUserLocaleWithUTF8()
        BLASThreads.useCallingThreadOnly()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            // A command that chose its status (search: 1 for nothing found) has said all it had to.
            if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
            let message: String
            if let error = error as? LocalizedError, let description = error.errorDescription {
                message = description
            } else {
                let parserMessage = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                message = parserMessage + " (see 'semsearch help')"
            }
            FileHandle.standardError.write(Data("semsearch: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
