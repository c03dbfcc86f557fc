import SemsearchKit
import SemsearchTestSupport
import SemsearchTUI

/// A TUI state machine driven key by key, with the effects it asked for kept for inspection.
struct Driver {
    var state: TUIState
    var effects: [TUIEffect] = []

    init(rows: Int = 24, columns: Int = 80, picker: Bool = false, history: [String] = []) {
        state = TUIState(summary: Driver.summary, rows: rows, columns: columns, picker: picker, history: history)
    }

    /// A 6-layer, 384-wide index with adapters on layers 1–5, as all-MiniLM-L6-v2 builds it.
    /// Its vectors are compact: int8 at layer 6; below it, 8 bits for the first 64 dims and 5 for the rest.
    static let summary: IndexOverview = {
        var summary = IndexOverview(modelName: "all-MiniLM-L6-v2", layers: [1, 2, 3, 4, 5, 6], dims: [32, 64, 128, 256, 384],
                                    adapterLayers: [1, 2, 3, 4, 5], situate: "header", files: 1234, chunks: 5678,
                                    databaseBytes: 12_300_000, workingDirectory: "/home/ann/notes", homeDirectory: "/home/ann")
        summary.vectorFormat = "compact"
        let lower = [UInt8](repeating: 8, count: 64) + [UInt8](repeating: 5, count: 320)
        summary.codeWidths = [1: lower, 2: lower, 3: lower, 4: lower, 5: lower, 6: [UInt8](repeating: 8, count: 384)]
        return summary
    }()

    @discardableResult
    mutating func send(_ event: TUIEvent) -> [TUIEffect] {
        let (next, produced) = TUIReducer.reduce(state, event)
        state = next
        effects += produced
        return produced
    }

    mutating func press(_ keys: Key...) { for key in keys { send(.key(key)) } }

    mutating func type(_ text: String) { for character in text { send(.key(.character(character))) } }

    /// The newest search request asked for.
    var lastSearch: SearchRequest? {
        for effect in effects.reversed() { if case .search(let request) = effect { return request } }
        return nil
    }

    var lastCompare: CompareRequest? {
        for effect in effects.reversed() { if case .compare(let request) = effect { return request } }
        return nil
    }

    /// Answers the newest search with `results`.
    mutating func answer(_ results: [SearchResult], milliseconds: Double = 12.5) {
        guard let request = lastSearch else { return }
        send(.answered(SearchAnswer(generation: request.generation, query: request.query,
                                    cell: MatryoshkaCell(layer: request.layer, dim: request.dim),
                                    calibrated: request.calibrated && request.layer < 6, results: results, milliseconds: milliseconds)))
    }

    var screen: ScreenBuffer { TUIRenderer.render(state) }

    /// Every row of the screen as text.
    var lines: [String] { let screen = self.screen; return (0..<screen.rows).map { screen.line($0) } }

    func row(containing text: String) -> Int? { lines.firstIndex { $0.contains(text) } }
}

/// A search result over a made-up chunk.
func result(_ rank: Int, id: Int64, path: String, line: Int = 1, heading: String = "", text: String, score: Float = 0.5,
            location: DocumentLocation? = nil) -> SearchResult {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    let chunk = ChunkRecord(id: id, path: path, ordinal: 0, byteRange: 0..<text.utf8.count, lineStart: line,
                            lineEnd: line + lines - 1, heading: heading, text: text, location: location)
    return SearchResult(rank: rank, score: score, chunk: chunk, snippet: Snippet(line: line, lines: [String(text.split(separator: "\n").first ?? "")]),
                        explanation: ScoreExplanation())
}

/// Three results about rivers and bread under the driver's working directory.
let riverResults = [
    result(1, id: 11, path: "/home/ann/notes/geo/rhine.md", line: 3, heading: "Rhine › Delta", text: "The Rhine forms a delta\nnear Rotterdam.", score: 0.71),
    result(2, id: 12, path: "/home/ann/notes/geo/nile.md", line: 8, heading: "Nile", text: "The Nile delta is fertile.", score: 0.64),
    result(3, id: 13, path: "/srv/shared/bread.md", line: 1, heading: "Bread", text: "Knead the dough.", score: 0.12),
]

/// The renderer measures text with `wcwidth`, which needs the UTF-8 character type the executable
/// sets at start-up; every suite that renders asks for it through `init()`.
enum TestLocale {
    static let ready: Void = TerminalLocale.useUserLocaleWithUTF8()
}
