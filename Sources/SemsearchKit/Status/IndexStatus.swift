import Foundation
import SemsearchCore
import SemsearchEncoder

/// What an index holds and how it is kept, read once: the facts `semsearch status` prints, the
/// MCP `status` tool returns and the screen's status line shows, assembled in one place. Reads the
/// store only, so it answers even when the model is missing.
public struct IndexStatus: Sendable {
    /// How much to read. The vectors' average sizes take a scan of every stored vector (seconds at
    /// a million chunks) and the adapters their weights, which only `semsearch status` shows: the
    /// MCP tool and the screen, which read a status on every start, ask for the `summary`.
    public enum Detail: Sendable {
        case summary, full
    }

    /// Where the index lives (``IndexStore/address``).
    public var address: String
    public var statistics: IndexStatistics
    /// Nil for an index no run has written settings to yet.
    public var settings: IndexSettings?
    public var roots: [String]
    /// Indexed files by format (``DocumentFormat/label(fileName:)``: `docx`, `pdf`, `md`…).
    public var formats: [String: Int]
    public var vectorFormat: VectorFormat
    /// Average stored bytes of a chunk's vectors (all layers) and of each layer; nil in a `summary`.
    public var vectorBytes: (perChunk: Double, perLayer: [Int: Double])?
    /// Bits of each dimension's code, per quantized layer (a layer not listed is fp16).
    public var codeWidths: [Int: [UInt8]]
    /// Adapters, by layer ascending; nil in a `summary`.
    public var adapters: [LayerAdapter]?
    public var ivf: IVFState?
    public var coverage: VocabularyCoverage
    public var lastRun: Date?
    /// Processes holding the index's locks: an index run, a watcher. For an index on a server,
    /// the server's process serving that semsearch (``locksHeldOnServer``).
    public var indexingProcess: Int32?
    public var watcherProcess: Int32?
    public var locksHeldOnServer: Bool
    /// The cell the database server searches itself (PostgreSQL), if any, and its IVFFlat index
    /// (nil while the server scans every vector).
    public var serverIndexedCell: MatryoshkaCell?
    public var serverIndex: IVFState?

    public init(store: any IndexStore, detail: Detail) throws {
        address = store.address
        statistics = try store.statistics()
        settings = try store.settings()
        roots = try store.roots().map(\.path)
        var formats: [String: Int] = [:]
        for file in try store.filePaths() {
            formats[DocumentFormat.label(fileName: (file.path as NSString).lastPathComponent), default: 0] += 1
        }
        self.formats = formats
        vectorFormat = try store.vectorFormat()
        vectorBytes = detail == .full ? try store.vectorBytes() : nil
        let stored = Set(settings?.layers ?? [])
        codeWidths = try store.vectorQuantizers().filter { stored.contains($0.key) }.mapValues(\.widths)
        adapters = detail == .full ? try store.adapters().values.sorted { $0.layer < $1.layer } : nil
        ivf = try store.ivfState()
        coverage = try store.vocabularyCoverage()
        lastRun = try store.lastRun()
        indexingProcess = store.lockHolder(for: .indexing)
        watcherProcess = store.lockHolder(for: .watching)
        locksHeldOnServer = store.databaseFile == nil
        serverIndexedCell = try store.nearestNeighborCell()
        serverIndex = try store.nearestNeighborIndex()
    }
}
