import ArgumentParser
import Foundation
import SemsearchKit
import SemsearchMCP

/// `semsearch mcp`: the thin wrapper around ``MCPServer``: options, signals, and the exit.
struct MCP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the index to AI agents over the Model Context Protocol (stdio).",
        discussion: """
            An MCP client (Claude Code, Codex, Cursor) starts this and talks JSON-RPC on stdin and stdout; \
            logs go to stderr. Tools: search and status; read and refresh with their flags. Always pass --db.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Model directory or name (default: the one the index was built with).", valueName: "DIR|NAME"))
    var model: String?

    @Flag(help: "Offer the read tool: line ranges of files inside the indexed roots.")
    var allowRead = false

    @Flag(help: "Offer the refresh tool: start an incremental re-index in the background.")
    var allowRefresh = false

    @Option(help: ArgumentHelp("Cap on a search result's JSON and a read result's text, in bytes (1024 or more); the reply carries it twice (text and structured).", valueName: "BYTES"))
    var maxResultBytes = 16 * 1024

    @Option(help: ArgumentHelp("Seconds to wait for a client that reads nothing before exiting.", valueName: "S"))
    var writeTimeout = 30.0

    func validate() throws {
        if maxResultBytes < 1024 { throw ValidationError("--max-result-bytes must be at least 1024") }
        if !(writeTimeout > 0) { throw ValidationError("--write-timeout must be more than 0") }
    }

    func run() throws {
        if isatty(STDIN_FILENO) != 0 {
            FileHandle.standardError.write(Data("""
                semsearch mcp is a Model Context Protocol server: an MCP client starts it and talks JSON-RPC on stdin/stdout.
                Add it to your client, for example: claude mcp add semsearch -- semsearch mcp --db \(IndexLocation.displayed(absolute(database.path)))
                See 'man semsearch' (MCP) for Codex and Cursor.

                """.utf8))
            throw ExitCode(2)
        }
        var configuration = MCPConfiguration(databasePath: absolute(database.path), model: model)
        configuration.allowRead = allowRead
        configuration.allowRefresh = allowRefresh
        configuration.maxResultBytes = maxResultBytes
        configuration.writeTimeout = writeTimeout
        configuration.executable = Self.executablePath
        signal(SIGPIPE, SIG_IGN)
        // SIGTERM and SIGINT end the server at once; nothing it holds needs saving. They are
        // unblocked too, since a parent may start us with a signal mask of its own.
        var endingSignals = sigset_t()
        sigemptyset(&endingSignals)
        for number in [SIGTERM, SIGINT] {
            signal(number, { _ in _exit(0) })
            sigaddset(&endingSignals, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &endingSignals, nil)
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data("semsearch mcp: \(line)\n".utf8)) }
        let server = MCPServer(configuration: configuration, output: STDOUT_FILENO, log: log) { reason in
            log("\(reason); exiting")
            _exit(0)
        }
        server.serve(input: STDIN_FILENO)
    }

    private func absolute(_ path: String) -> String {
        if PostgresAddress.isPostgresURL(path) { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
    }

    /// This binary, to start `semsearch index` from (`refresh`).
    static var executablePath: String {
        Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? "/proc/self/exe"
    }
}
