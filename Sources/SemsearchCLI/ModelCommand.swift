import ArgumentParser
import Foundation
import SemsearchKit

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or import embedding models.",
        subcommands: [List.self, Import.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in and imported models.")

        func run() throws {
            let store = ModelStore()
            let listings = store.list()
            if listings.isEmpty { print("no models found (the built-in model is expected in share/semsearch/models beside the binary, or in a checkout's Resources/models)") }
            for listing in listings {
                let origin = listing.isBuiltIn ? "built-in" : "imported"
                if let d = listing.descriptor {
                    let mb = String(format: "%.1f MB", Double(listing.weightsBytes) / 1_048_576)
                    let dims = d.dimsLadder.map(String.init).joined(separator: ",")
                    print("\(listing.name)\t\(origin)\t\(d.architecture.familyName)\tlayers \(d.layerCount)\tdims \(dims)\t\(d.languages)\tmax \(d.maxLength) tokens\t\(mb)\t\(listing.directory)")
                } else {
                    print("\(listing.name)\t\(origin)\tunusable: \(listing.problem ?? "unknown problem")\t\(listing.directory)")
                }
            }
            print("imported models live in \(store.userDirectory)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a Hugging Face model directory (BERT family or EmbeddingGemma) as fp16.",
            discussion: "Reads config.json, the tokenizer (vocab.txt or tokenizer.json), *.safetensors (fp32, fp16 or bf16) and the sentence-transformers modules, then checks the imported copy against the original on probe sentences in several languages."
        )

        @Argument(help: "A local Hugging Face model directory.")
        var directory: String

        @Option(help: "Name in the model store (default: the directory's name).")
        var name: String?

        @Option(help: "Write the model to this directory instead of the store.")
        var output: String?

        func run() throws {
            let target = try ModelStore().importModel(from: directory, name: name, destination: output)
            let original = try EmbeddingModel.load(directory: directory)
            let imported = try EmbeddingModel.load(directory: target)
            let probes = ["The quick brown fox jumps over the lazy dog.",
                          "semsearch indexes folders and searches them by meaning.",
                          "Ünïcödé, 東京, and emoji 🙂 survive tokenization.",
                          "القاهرة هي عاصمة مصر.", "O rio Amazonas atravessa a floresta."]
            let a = original.embed(probes), b = imported.embed(probes)
            let worst = zip(a, b).map { pair in
                (1...original.layerCount).map { VectorMath.cosine(pair.0.raw(layer: $0), pair.1.raw(layer: $0)) }.min()!
            }.min()!
            print("imported \(directory) → \(target) (fp16; lowest per-layer cosine to the original on probes: \(String(format: "%.6f", worst)))")
        }
    }
}
