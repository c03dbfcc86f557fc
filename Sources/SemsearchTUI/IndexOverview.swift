import SemsearchKit

/// What the TUI shows about the open index and model: the status line's facts and the cells the
/// layer and dim keys step through. Fixed for a session, except whether a watcher keeps the index
/// current, which each answer brings up to date.
public struct IndexOverview: Equatable, Sendable {
    public var modelName: String
    /// Stored layers, ascending: the layer key steps through these.
    public var layers: [Int]
    /// Prefix dims, ascending, the full width last: the dim key steps through these.
    public var dims: [Int]
    /// Layers that have adapters (calibrated early layers).
    public var adapterLayers: Set<Int>
    public var situate: String
    public var files: Int
    public var chunks: Int
    public var databaseBytes: Int
    /// The IVF index's cell and list count, when the index has one.
    public var ivfCell: MatryoshkaCell?
    public var ivfLists: Int
    public var ivfProbes: Int
    /// Paths under this folder are shown relative to it; paths under `homeDirectory` start with ~.
    public var workingDirectory: String
    public var homeDirectory: String
    /// `semsearch index --watch` is keeping this index current.
    public var watcherRunning = false
    /// The index's vector format, and the bits of each dimension's code per quantized layer
    /// (a layer not listed is fp16, 16 bits), so the compare view can show what a cell costs.
    public var vectorFormat = "fp16"
    public var codeWidths: [Int: [UInt8]] = [:]

    public init(modelName: String, layers: [Int], dims: [Int], adapterLayers: Set<Int> = [], situate: String = "header",
                files: Int = 0, chunks: Int = 0, databaseBytes: Int = 0, ivfCell: MatryoshkaCell? = nil, ivfLists: Int = 0,
                ivfProbes: Int = 0, workingDirectory: String = "/", homeDirectory: String = "/nonexistent") {
        self.modelName = modelName
        self.layers = layers.sorted()
        self.dims = dims.sorted()
        self.adapterLayers = adapterLayers
        self.situate = situate
        self.files = files
        self.chunks = chunks
        self.databaseBytes = databaseBytes
        self.ivfCell = ivfCell
        self.ivfLists = ivfLists
        self.ivfProbes = ivfProbes
        self.workingDirectory = workingDirectory
        self.homeDirectory = homeDirectory
    }

    /// The summary of an open searcher's index, whose `status` was read with it.
    public init(status: IndexStatus, searcher: Searcher, workingDirectory: String, homeDirectory: String) {
        let settings = searcher.settings
        let statistics = status.statistics
        self.init(modelName: settings.model, layers: settings.layers,
                  dims: MatryoshkaCell.standardDims(width: settings.hiddenSize), adapterLayers: searcher.adapterLayers,
                  situate: settings.situate.rawValue, files: statistics.files, chunks: statistics.chunks,
                  databaseBytes: statistics.databaseBytes,
                  ivfCell: searcher.ivf.map { MatryoshkaCell(layer: $0.state.layer, dim: $0.state.dim) },
                  ivfLists: searcher.ivf?.state.nlist ?? 0,
                  ivfProbes: searcher.ivf.map { IVFIndex.defaultProbes(nlist: $0.state.nlist) } ?? 0,
                  workingDirectory: workingDirectory, homeDirectory: homeDirectory)
        watcherRunning = status.watcherProcess != nil
        vectorFormat = status.vectorFormat.rawValue
        codeWidths = status.codeWidths
    }

    /// Stored bytes of one chunk's vector at `cell` (its prefix of the layer's codes), or nil when
    /// the layer's format is not known.
    public func vectorBytes(at cell: MatryoshkaCell) -> Int? {
        guard layers.contains(cell.layer) else { return nil }
        guard let widths = codeWidths[cell.layer] else { return 2 * cell.dim }
        return (widths.prefix(cell.dim).reduce(0) { $0 + Int($1) } + 7) / 8
    }

    /// Adds a dim off the usual ladder (a `--dim` to start at), so the dim keys and the compare
    /// grid include it.
    public mutating func include(dim: Int) {
        if !dims.contains(dim) { dims = (dims + [dim]).sorted() }
    }

    /// The full model: the deepest stored layer at full width, the reference of the compare view.
    public var fullCell: MatryoshkaCell { MatryoshkaCell(layer: layers.last ?? 1, dim: dims.last ?? 1) }

    /// `path` as the user would type it here: relative to the working directory, else ~/…
    public func displayPath(_ path: String) -> String {
        let cwd = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        if path.hasPrefix(cwd) && path.count > cwd.count { return String(path.dropFirst(cwd.count)) }
        let home = homeDirectory.hasSuffix("/") ? homeDirectory : homeDirectory + "/"
        if path.hasPrefix(home) { return "~/" + path.dropFirst(home.count) }
        return path
    }
}
