import ArgumentParser
import Foundation
import SemsearchKit

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the index holds.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let store = try IndexStore(path: database.path, create: false)
        let stats = try store.statistics()
        let settings = try store.settings()
        let roots = try store.roots().map(\.path)
        let ivf = try store.ivfState()
        let adapters = try store.adapters().values.sorted { $0.layer < $1.layer }
        let coverage = try store.vocabularyCoverage()
        let lastRun = try store.meta("last_run").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        if json {
            let model: String = settings.map { JSONText.string($0.model) } ?? "null"
            let layers: String = settings?.layers.map(String.init).joined(separator: ",") ?? ""
            let dim: String = settings.map { String($0.hiddenSize) } ?? "null"
            let situate: String = settings.map { JSONText.string($0.situate.rawValue) } ?? "null"
            let chunkTokens: String = settings.map { String($0.chunkTokens) } ?? "null"
            let rootList: String = roots.map(JSONText.string).joined(separator: ",")
            var fields: [String] = []
            fields.append("\"files\":\(stats.files)")
            fields.append("\"chunks\":\(stats.chunks)")
            fields.append("\"tokens\":\(stats.tokens)")
            fields.append("\"db_bytes\":\(stats.databaseBytes)")
            fields.append("\"model\":\(model)")
            fields.append("\"layers\":[\(layers)]")
            fields.append("\"dim\":\(dim)")
            fields.append("\"situate\":\(situate)")
            fields.append("\"chunk_tokens\":\(chunkTokens)")
            fields.append("\"encoded_layers\":" + (settings?.encodedLayers.map(String.init) ?? "null"))
            if let ivf {
                fields.append("\"ivf\":{\"nlist\":\(ivf.nlist),\"layer\":\(ivf.layer),\"dim\":\(ivf.dim),\"trained_on\":\(ivf.trainedOn)}")
            } else {
                fields.append("\"ivf\":null")
            }
            let calibration = adapters.map {
                "{\"layer\":\($0.layer),\"residual\":\(Eval.round($0.residual)),\"fitted_on\":\($0.fittedOn)}"
            }
            fields.append("\"calibration\":[\(calibration.joined(separator: ","))]")
            fields.append("\"roots\":[\(rootList)]")
            fields.append("\"vocabulary\":{\"tokens\":\(coverage.tokens),\"poorly_read\":\(coverage.poorlyRead),\"warning\":"
                          + (settings.flatMap { coverage.warning(model: $0.model) }.map(JSONText.string) ?? "null") + "}")
            fields.append("\"last_run\":" + (lastRun.map { JSONText.number($0.timeIntervalSince1970) } ?? "null"))
            print("{" + fields.joined(separator: ",") + "}")
            return
        }
        print("database  \(store.path) (\(String(format: "%.1f", Double(stats.databaseBytes) / 1_048_576)) MB)")
        for root in roots { print("root      \(root)") }
        print("files     \(stats.files)")
        print("chunks    \(stats.chunks) (\(stats.tokens) tokens)")
        if let s = settings {
            print("model     \(s.model) (\(s.layerCount) layers, dim \(s.hiddenSize))")
            print("layers    \(s.layers.map(String.init).joined(separator: ",")) stored"
                  + (s.encodedLayers.map { " (early exit: only the first \($0) of \(s.layerCount) layers encoded)" } ?? ""))
            print("chunking  \(s.chunkTokens) tokens, overlap \(s.overlap), situate \(s.situate.rawValue)")
        }
        if adapters.isEmpty {
            print("adapters  none (early layers are searched raw)")
        } else {
            print("adapters  layers \(adapters.map { String($0.layer) }.joined(separator: ",")) → \(adapters[0].targetLayer), fitted on \(adapters[0].fittedOn) chunks (residual "
                  + adapters.map { String(format: "%.3f", $0.residual) }.joined(separator: ", ") + ")")
        }
        if let ivf {
            print("ivf       \(ivf.nlist) lists on layer \(ivf.layer), dim \(ivf.dim) (trained on \(ivf.trainedOn) vectors)")
        } else {
            print("ivf       off (exact search; auto builds one above \(IVFIndex.autoThreshold) chunks)")
        }
        if let lastRun { print("last run  \(lastRun.formatted(date: .abbreviated, time: .standard))") }
        if let s = settings, let warning = coverage.warning(model: s.model) { print("warning   \(warning)") }
    }
}
