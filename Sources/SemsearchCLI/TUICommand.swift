import ArgumentParser
import Foundation
import SemsearchKit
import SemsearchTUI

/// `semsearch` (and `semsearch tui`): the interactive screen on a terminal; with queries piped
/// on stdin, pipe mode instead.
struct TUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Search interactively: results as you type, preview, live layer × dim comparison (the default command).",
        discussion: """
        Runs when semsearch is given no subcommand on a terminal. With a pipe on stdin it answers \
        one query per line instead, like 'semsearch search -'. Press ? or F1 inside for every key; \
        Esc or Ctrl-C quits.
        """
    )

    @OptionGroup var cell: CellOptions

    @Flag(help: "Pick a result like fzf: Enter prints its path:line on stdout and exits.")
    var printSelection = false

    @Flag(help: "Start with early layers' adapters off (Ctrl-R switches).")
    var raw = false

    @Option(help: ArgumentHelp("Colour: auto, always or never (NO_COLOR is honoured).", valueName: "WHEN"))
    var color = ColorChoice.auto

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
    }

    func run() throws {
        if isatty(STDIN_FILENO) == 0 {
            try pipeMode()
            return
        }
        let store = try IndexLocation.open(database.path, create: false)
        let searcher = try Searcher.open(store: store, model: modelOptions.model)
        let start = try searcher.cell(layer: cell.layer, dim: cell.dim)
        var summary = IndexOverview(status: try IndexStatus(store: store, detail: .summary), searcher: searcher, workingDirectory: FileManager.default.currentDirectoryPath,
                                       homeDirectory: NSHomeDirectory())
        summary.include(dim: start.dim)
        let historyFile = HistoryFile.standard
        let state = TUIState(summary: summary, cell: start, calibrated: !raw, picker: printSelection, history: historyFile.load())
        let session = try TUISession(searcher: searcher, state: state)
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let colors = color == .always || (color == .auto && !noColor)
        let outcome = try TerminalApp.run(session: session, colors: colors)
        historyFile.save(session.state.history.entries)
        if case .selected(let selection) = outcome { print(selection) }
    }

    /// Queries on stdin: the same as `semsearch search -` with these options.
    private func pipeMode() throws {
        var arguments = ["-"]
        if let layer = cell.layer { arguments += ["--layer", String(layer)] }
        if let dim = cell.dim { arguments += ["--dim", String(dim)] }
        if raw { arguments.append("--raw") }
        if let db = database.db { arguments += ["--db", db] }
        if let model = modelOptions.model { arguments += ["--model", model] }
        let search = try Search.parse(arguments)
        try search.run()
    }
}
