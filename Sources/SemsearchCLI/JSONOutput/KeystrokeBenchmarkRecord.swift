import SemsearchBench
import SemsearchKit
import SemsearchTUI

/// The line `semsearch bench tui --json` prints.
struct KeystrokeBenchmarkRecord: Encodable {
    /// The index typed against and the cell searched.
    var files: Int
    var chunks: Int
    var layer: Int
    var dim: Int
    /// Keys typed, keys whose answer never reached the screen, and the milliseconds between keys.
    var keystrokes: Int
    var missed: Int
    var paceMilliseconds: Double
    /// The first key (which loads the cell's vectors), then every later key to the rendered answer,
    /// and that time's embedding + search and render parts.
    var firstKeystrokeMilliseconds: Double
    var keystrokeMilliseconds: Latency
    var searchMilliseconds: Latency
    var renderMilliseconds: Latency
    /// The compare view: its cells, its first key (which loads every cell) and later keys to the
    /// complete grid.
    var compareCells: Int
    var firstCompareKeystrokeMilliseconds: Double
    var compareKeystrokeMilliseconds: Latency

    enum CodingKeys: String, CodingKey {
        case files, chunks, layer, dim, keystrokes, missed, paceMilliseconds = "pace_ms"
        case firstKeystrokeMilliseconds = "first_keystroke_ms", keystrokeMilliseconds = "keystroke_ms"
        case searchMilliseconds = "search_ms", renderMilliseconds = "render_ms", compareCells = "compare_cells"
        case firstCompareKeystrokeMilliseconds = "first_compare_keystroke_ms", compareKeystrokeMilliseconds = "compare_keystroke_ms"
    }

    /// Milliseconds at the 50th, 95th and 99th percentiles and the maximum, two decimals.
    struct Latency: Encodable {
        var p50: Double
        var p95: Double
        var p99: Double
        var max: Double

        init(_ milliseconds: [Double]) {
            let summary = LatencySummary(milliseconds: milliseconds)
            p50 = JSONOutput.rounded(summary.p50Milliseconds, places: 2)
            p95 = JSONOutput.rounded(summary.p95Milliseconds, places: 2)
            p99 = JSONOutput.rounded(summary.p99Milliseconds, places: 2)
            max = JSONOutput.rounded(summary.maxMilliseconds, places: 2)
        }
    }

    init(_ result: KeystrokeBenchmark.Result, overview: IndexOverview, cell: MatryoshkaCell, pace: Double) {
        files = overview.files
        chunks = overview.chunks
        layer = cell.layer
        dim = cell.dim
        keystrokes = result.keystrokes.count
        missed = result.missed
        paceMilliseconds = pace
        firstKeystrokeMilliseconds = JSONOutput.rounded(result.firstKeystroke, places: 2)
        keystrokeMilliseconds = Latency(result.keystrokes)
        searchMilliseconds = Latency(result.searches)
        renderMilliseconds = Latency(result.renders)
        compareCells = overview.layers.count * overview.dims.count
        firstCompareKeystrokeMilliseconds = JSONOutput.rounded(result.firstCompareKeystroke, places: 2)
        compareKeystrokeMilliseconds = Latency(result.compareKeystrokes)
    }
}
