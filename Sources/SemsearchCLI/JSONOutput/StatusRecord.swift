import Foundation
import SemsearchKit

/// The object `semsearch status --json` prints. Settings fields are `null` on an index that
/// holds no settings yet (created, never indexed).
struct StatusRecord: Encodable {
    /// The semsearch release printing this (`SemsearchVersion.current`, as `--version` prints it).
    var version: String = SemsearchVersion.current
    /// Files, chunks and tokens indexed, and the database file's size in bytes.
    var files: Int
    /// Files by format: `docx`, `pptx`, `odt`, `odp`, `epub`, `rtf`, `eml`, `mbox`, else the
    /// lower-case extension (`md`, `pdf`), else `none`.
    var formats: [String: Int]
    var chunks: Int
    var tokens: Int
    var dbBytes: Int
    /// The model's name, the stored layers, and the vector width at the final layer.
    var model: Nullable<String>
    var layers: [Int]
    var dim: Nullable<Int>
    /// The situating mode (`none`, `header`, `late`, `mix`) and the chunk size in tokens.
    var situate: Nullable<String>
    var chunkTokens: Nullable<Int>
    /// With early exit, how many layers are encoded; otherwise `null` (all of them).
    var encodedLayers: Nullable<Int>
    /// The encoder precision documents are embedded with (`fp32`, `int8`), or `null` with no index yet.
    var precision: Nullable<String>
    /// The IVF index, or `null` when search is exact.
    var ivf: Nullable<IVFRecord>
    /// The calibration adapters: per layer, the mean squared residual and `fitted_on`, the index's
    /// chunk count when they were fitted (not the sample size).
    var calibration: [AdapterRecord]
    /// The indexed roots, absolute.
    var roots: [String]
    /// Tokens embedded, how many the model read poorly (unknown or byte pieces), and the warning
    /// shown when that share is high.
    var vocabulary: VocabularyRecord
    /// The end of the last index run, in seconds since 1970, or `null`.
    var lastRun: Nullable<Double>
    /// The pid of the `semsearch index --watch` keeping the index current (for PostgreSQL, of the
    /// server process serving it), or `null`.
    var watcher: Nullable<Int32>
    /// The cell the database server searches itself (PostgreSQL), with its IVFFlat index's lists
    /// (`null` while it scans every vector), or `null`.
    var serverIndex: Nullable<CellRecord>

    struct CellRecord: Encodable {
        var layer: Int
        var dim: Int
        var lists: Nullable<Int>
    }
    /// The vector format (`fp16`, `int8`, `int4`, `compact`) and the stored bytes of a chunk's vectors, all layers.
    var vectors: String
    var vectorBytes: Double

    struct IVFRecord: Encodable {
        var nlist: Int
        var layer: Int
        var dim: Int
        var trainedOn: Int
        enum CodingKeys: String, CodingKey { case nlist, layer, dim, trainedOn = "trained_on" }
    }

    struct AdapterRecord: Encodable {
        var layer: Int
        var residual: Double
        var fittedOn: Int
        enum CodingKeys: String, CodingKey { case layer, residual, fittedOn = "fitted_on" }
    }

    struct VocabularyRecord: Encodable {
        var tokens: Int
        var poorlyRead: Int
        var warning: Nullable<String>
        enum CodingKeys: String, CodingKey { case tokens, poorlyRead = "poorly_read", warning }
    }

    enum CodingKeys: String, CodingKey {
        case version, files, formats, chunks, tokens, dbBytes = "db_bytes", model, layers, dim, situate, chunkTokens = "chunk_tokens"
        case encodedLayers = "encoded_layers", precision, ivf, calibration, roots, vocabulary, lastRun = "last_run", watcher, vectors, vectorBytes = "vector_bytes"
        case serverIndex = "server_index"
    }

    /// From a `.full` status (a summary has no vector sizes or adapters to report).
    init(_ status: IndexStatus) {
        let statistics = status.statistics, settings = status.settings, coverage = status.coverage
        files = statistics.files
        formats = status.formats
        chunks = statistics.chunks
        tokens = statistics.tokens
        dbBytes = statistics.databaseBytes
        model = Nullable(settings?.model)
        layers = settings?.layers ?? []
        dim = Nullable(settings?.hiddenSize)
        situate = Nullable(settings?.situate.rawValue)
        chunkTokens = Nullable(settings?.chunkTokens)
        encodedLayers = Nullable(settings?.encodedLayers)
        precision = Nullable(settings?.documentPrecision.rawValue)
        ivf = Nullable(status.ivf.map { IVFRecord(nlist: $0.nlist, layer: $0.layer, dim: $0.dim, trainedOn: $0.trainedOn) })
        calibration = (status.adapters ?? []).map { AdapterRecord(layer: $0.layer, residual: JSONOutput.rounded($0.residual), fittedOn: $0.fittedOn) }
        roots = status.roots
        vocabulary = VocabularyRecord(tokens: coverage.tokens, poorlyRead: coverage.poorlyRead,
                                      warning: Nullable(settings.flatMap { coverage.warning(model: $0.model) }))
        lastRun = Nullable(status.lastRun?.timeIntervalSince1970)
        watcher = Nullable(status.watcherProcess)
        serverIndex = Nullable(status.serverIndexedCell.map { CellRecord(layer: $0.layer, dim: $0.dim, lists: Nullable(status.serverIndex?.nlist)) })
        vectors = status.vectorFormat.rawValue
        vectorBytes = (status.vectorBytes?.perChunk ?? 0).rounded()
    }
}
