import ArgumentParser
import Foundation
import SemsearchKit

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the index by meaning.",
        discussion: """
        Output follows where it goes: ranked, coloured results on a terminal; grep-style \
        'path:line:score:snippet' lines into a pipe; JSON lines with --json; unique paths with --files. \
        With '-' as the query, or no query and a pipe on stdin, every stdin line is a query and the \
        model and index load once. Exit status: 0 when something was found, 1 when nothing was, 2 on error.
        """
    )

    @Argument(help: "The query (several words are joined); '-' reads one query per stdin line.")
    var query: [String] = []

    @Option(name: [.customShort("k"), .customLong("limit")], help: "Results per query.")
    var k = 10

    @OptionGroup var cell: CellOptions

    @Flag(help: "Score every vector, even with IVF or in a cell large enough for a sign-bit shortlist.")
    var exact = false

    @Option(help: "Search the N nearest IVF lists.")
    var nprobe: Int?

    @Option(name: .customLong("path"), help: ArgumentHelp("Only files matching this glob (repeatable).", valueName: "GLOB"))
    var paths: [String] = []

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Fuse keyword (BM25) and vector rankings, so names and exact identifiers are found too (default: \(SearchOptions().hybrid ? "on" : "off")).", visibility: .default))
    var hybrid = SearchOptions().hybrid

    @Option(help: ArgumentHelp("Shortlist at a small layer:dim, then re-rank the shortlist at full size.", valueName: "L:d"))
    var funnel: MatryoshkaCell?

    @Option(help: "Candidates per ranking for --hybrid and --funnel.")
    var candidates = 100

    @Flag(help: "Search early layers without their adapters (see 'semsearch calibrate').")
    var raw = false

    @Flag(help: "Show how each result was ranked (vector score and rank, BM25 rank, fused score).")
    var explain = false

    @Flag(help: "Print JSON lines.")
    var json = false

    @Flag(help: "Print each result's file once, best first.")
    var files = false

    @Option(help: ArgumentHelp("Colour on a terminal: auto, always or never (NO_COLOR is honoured).", valueName: "WHEN"))
    var color = ColorChoice.auto

    @Option(help: "β for indexes built with --situate mix.")
    var mixBeta: Float = 0.2

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if let nprobe, nprobe < 1 { throw ValidationError("--nprobe must be at least 1") }
        if exact && nprobe != nil { throw ValidationError("--exact and --nprobe exclude each other") }
        if json && files { throw ValidationError("--json and --files exclude each other") }
        if candidates < 1 { throw ValidationError("--candidates must be at least 1") }
    }

    var options: SearchOptions {
        var options = SearchOptions()
        options.k = k
        options.layer = cell.layer
        options.dim = cell.dim
        options.method = exact ? .exact : nprobe.map { .ivf(nprobe: $0) } ?? .automatic
        options.paths = paths
        options.hybrid = hybrid
        options.funnel = funnel
        options.candidates = candidates
        options.threads = modelOptions.threadCount
        options.calibrated = !raw
        return options
    }

    func run() throws {
        let fromStdin = query == ["-"] || (query.isEmpty && isatty(STDIN_FILENO) == 0)
        if query.isEmpty && !fromStdin { throw CommandError.usage("give a query, or pipe queries on stdin") }
        let text = query.joined(separator: " ")
        // Check a single query before paying for the model.
        if !fromStdin {
            if text.allSatisfy(\.isWhitespace) { throw SearchError.emptyQuery }
            if text.utf8.count > Searcher.maxQueryBytes { throw SearchError.queryTooLong(bytes: text.utf8.count, limit: Searcher.maxQueryBytes) }
        }
        let searcher = try Searcher.open(database: database.path, model: modelOptions.model, mixBeta: mixBeta)
        let options = self.options
        // Check the cell once so a bad --layer/--dim fails before any query.
        _ = try searcher.cell(layer: cell.layer, dim: cell.dim)
        if let funnel = options.funnel { _ = try searcher.cell(layer: funnel.layer, dim: funnel.dim) }
        let format = ResultFormat(json: json, files: files, color: color, explain: explain, pipeMode: fromStdin)
        let writer = OutputWriter()
        var found = false
        if fromStdin {
            var failed = false
            // Another process may re-index while queries stream in: each query sees its latest commit.
            let live = try LiveSearcher(searcher)
            try StdinLines.forEach { line, number in
                guard !line.allSatisfy(\.isWhitespace) else { return }
                do {
                    let response = try live.current().search(line, options: options)
                    found = found || !response.results.isEmpty
                    writer.write(format.render(response))
                } catch where error is SearchError || error is StoreError {
                    // A bad query, or an index that went away: say which line, go on with the next.
                    writer.flush()
                    FileHandle.standardError.write(Data("semsearch: stdin line \(number): \(error)\n".utf8))
                    failed = true
                }
                writer.flush()
            }
            if failed { throw ExitCode(2) }
        } else {
            let response = try searcher.search(text, options: options)
            found = !response.results.isEmpty
            writer.write(format.render(response))
            writer.flush()
        }
        if !found { throw ExitCode(1) }
    }
}
