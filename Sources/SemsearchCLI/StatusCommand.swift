import ArgumentParser
import Foundation
import SemsearchKit

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the index holds.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let status = try IndexStatus(store: IndexLocation.open(database.path, create: false), detail: .full)
        let stats = status.statistics, settings = status.settings, roots = status.roots, formats = status.formats
        let adapters = status.adapters ?? [], format = status.vectorFormat, vectorBytes = status.vectorBytes ?? (0, [:])
        if json {
            print(JSONOutput.line(StatusRecord(status)))
            return
        }
        print("database  \(status.address) (\(String(format: "%.1f", Double(stats.databaseBytes) / 1_048_576)) MB)")
        for root in roots { print("root      \(root)") }
        print("files     \(stats.files)" + (formats.isEmpty ? "" : " (" + formats.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"))
        print("chunks    \(stats.chunks) (\(stats.tokens) tokens)")
        if let s = settings {
            print("model     \(s.model) (\(s.layerCount) layers, dim \(s.hiddenSize)), documents embedded in \(s.documentPrecision.rawValue)")
            print("layers    \(s.layers.map(String.init).joined(separator: ",")) stored"
                  + (s.encodedLayers.map { " (early exit: only the first \($0) of \(s.layerCount) layers encoded)" } ?? ""))
            print("chunking  \(s.chunkTokens) tokens, overlap \(s.overlap), situate \(s.situate.rawValue)")
            print("vectors   \(format.rawValue), \(Int(vectorBytes.perChunk.rounded())) bytes a chunk ("
                  + vectorBytes.perLayer.sorted { $0.key < $1.key }.map { "L\($0.key) \(Int($0.value.rounded()))" }.joined(separator: ", ") + ")")
        }
        if adapters.isEmpty {
            print("adapters  none (early layers are searched raw)")
        } else {
            print("adapters  layers \(adapters.map { String($0.layer) }.joined(separator: ",")) → \(adapters[0].targetLayer), fitted on \(adapters[0].fittedOn) chunks (residual "
                  + adapters.map { String(format: "%.3f", $0.residual) }.joined(separator: ", ") + ")")
        }
        if let cell = status.serverIndexedCell {
            if let index = status.serverIndex {
                print("ivf       the server's IVFFlat index, \(index.nlist) lists on layer \(cell.layer), dim \(cell.dim) (built on \(index.trainedOn) vectors)")
            } else {
                print("ivf       the server scans layer \(cell.layer), dim \(cell.dim) (an IVFFlat index from 20000 chunks)")
            }
        } else if let ivf = status.ivf {
            print("ivf       \(ivf.nlist) lists on layer \(ivf.layer), dim \(ivf.dim) (trained on \(ivf.trainedOn) vectors)")
        } else {
            print("ivf       off (exact search; auto builds one above \(IVFIndex.autoThreshold) chunks)")
        }
        if let lastRun = status.lastRun { print("last run  \(lastRun.formatted(date: .abbreviated, time: .standard))") }
        if let watcher = status.watcherProcess {
            let holder = status.locksHeldOnServer ? "its server process \(watcher)" : "pid \(watcher)"
            print("watcher   running (\(holder)): 'semsearch index --watch' keeps the index current")
        }
        if let s = settings, let warning = status.coverage.warning(model: s.model) { print("warning   \(warning)") }
    }
}
