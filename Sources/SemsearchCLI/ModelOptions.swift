import ArgumentParser
import Foundation
import SemsearchKit

/// `--model` and `--threads`, shared by every command that embeds.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model directory or name from 'semsearch model list'.", valueName: "DIR|NAME"))
    var model: String?

    @Option(name: .long, help: "Threads for encoding (default: all cores); reading and tokenizing use every core (embed and bench embed tokenize serially with 1). In search: threads for the vector scan; the query is embedded on one core (all cores for a model deeper than 12 layers).")
    var threads: Int?

    var threadCount: Int { max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Loads the chosen model (the built-in default when none is named) with `precision`.
    func load(precision: EncoderPrecision = .fp32) throws -> EmbeddingModel {
        try EmbeddingModel.load(directory: ModelStore().resolve(model), precision: precision)
    }
}
