import Foundation
import SemsearchKit

/// Shows indexing progress on stderr: a live bar on a terminal, one line per stage otherwise.
final class ProgressReporter {
    private let quiet: Bool
    private let live = isatty(STDERR_FILENO) == 1
    private var lastDraw = 0.0
    private var lastStage: IndexProgress.Stage?

    init(quiet: Bool) { self.quiet = quiet }

    func report(_ progress: IndexProgress) {
        guard !quiet else { return }
        if live {
            let now = ResourceUsage.now()
            guard now - lastDraw > 0.1 || progress.filesDone == progress.filesTotal else { return }
            lastDraw = now
            write("\r\u{1B}[K" + line(progress))
        } else if progress.stage != lastStage {
            lastStage = progress.stage
            switch progress.stage {
            case .crawling: write("crawling \(progress.root)\n")
            case .embedding: write("reading \(progress.filesTotal) new or modified files\n")
            }
        }
    }

    private func line(_ p: IndexProgress) -> String {
        if p.stage == .crawling { return "crawling \(p.root) …" }
        let width = 24
        let fraction = p.filesTotal > 0 ? Double(p.filesDone) / Double(p.filesTotal) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var eta = ""
        if p.filesDone > 0, p.filesDone < p.filesTotal {
            let remaining = p.seconds / Double(p.filesDone) * Double(p.filesTotal - p.filesDone)
            eta = String(format: " · ETA %d:%02d", Int(remaining) / 60, Int(remaining) % 60)
        }
        return "\(bar) \(p.filesDone)/\(p.filesTotal) files · \(p.chunksDone) chunks · \(Int(p.tokensPerSecond)) tokens/s\(eta)"
    }

    func finish(_ summary: IndexSummary, database: String) {
        if live && !quiet { write("\r\u{1B}[K") }
        for warning in summary.warnings.prefix(quiet ? 0 : 20) { write("warning: \(warning)\n") }
        if summary.warnings.count > 20 && !quiet { write("… and \(summary.warnings.count - 20) more warnings\n") }
        if let warning = summary.vocabularyWarning, summary.added + summary.updated > 0 || !summary.interrupted { write("warning: \(warning)\n") }
        guard !quiet || summary.interrupted else { return }
        let skipped = summary.skipped.filter { $0.key != CrawlSkip.hidden.rawValue && $0.value > 0 }
            .sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let rate = summary.seconds > 0 ? Int(Double(summary.tokens) / summary.seconds) : 0
        var text = "\(summary.interrupted ? "interrupted" : "indexed"): \(summary.filesSeen) files "
            + "(\(summary.added) new, \(summary.updated) changed, \(summary.unchanged) unchanged, \(summary.removed) removed), "
            + "\(summary.chunks) chunks, \(summary.tokens) tokens embedded in \(String(format: "%.1f", summary.seconds)) s"
            + (summary.tokens > 0 ? " (\(rate) tokens/s)" : "")
        if !skipped.isEmpty { text += "; skipped \(skipped)" }
        if let ivf = summary.ivf { text += "; IVF \(ivf.nlist) lists" }
        if let adapters = summary.calibrated, !adapters.isEmpty {
            text += "; calibrated layers \(adapters.map { String($0.layer) }.joined(separator: ","))"
        }
        if summary.interrupted { text += " — run the same command again to continue" }
        write(text + "\n")
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
