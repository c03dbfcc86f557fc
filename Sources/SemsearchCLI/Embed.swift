import ArgumentParser
import Foundation
import SemsearchKit

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print embeddings as JSON lines.",
        discussion: """
        Texts come from the arguments, or one per line on stdin when the only argument is '-' or \
        stdin is a pipe. With --jsonl each stdin line is a JSON object whose "text" field is embedded \
        and whose other fields are echoed back. Output lines come in input order:
          {"text":…, "layer":l, "dim":d, "vector":[…]}
        With --all-layers, "layers" holds one vector per layer, first layer first; with --tokens, \
        "tokens" gives the input's token count (prompt and special tokens included). A model with \
        prompts (EmbeddingGemma) embeds the text as given unless --prompt names one, as \
        sentence-transformers does; 'semsearch search' always uses the query prompt.
        """
    )

    @Argument(help: "Texts to embed ('-' reads stdin).")
    var texts: [String] = []

    @Option(help: "Encoder layer to pool, 1…L (default: the last).")
    var layer: Int?

    @Option(help: "Leading dimensions to keep, 1…hidden size (default: all).")
    var dim: Int?

    @Flag(help: "Print every layer's vector.")
    var allLayers = false

    @Flag(help: "Print the pooled vectors without L2 normalization.")
    var noNormalize = false

    @Flag(help: "Read stdin as JSON lines with a \"text\" field; echo the other fields.")
    var jsonl = false

    @Option(help: ArgumentHelp("The model's prompt to put before each text: query, document or none (models without prompts ignore it).", valueName: "query|document|none"))
    var prompt: ModelPrompts.Kind = .none

    @Flag(help: "Add each input's token count (\"tokens\").")
    var tokens = false

    @Option(help: ArgumentHelp("Encoder precision: fp32, or int8 (int8 weights, 8-bit activations per token or per block of 32 by layer; cosine to fp32 about 0.9997 on AVX-512 VNNI).", valueName: "P"))
    var precision: EncoderPrecision = .fp32

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        if let layer, layer < 1 { throw ValidationError("--layer must be at least 1") }
        if let dim, dim < 1 { throw ValidationError("--dim must be at least 1") }
        if allLayers && layer != nil { throw ValidationError("--all-layers and --layer exclude each other") }
    }

    func run() throws {
        let readsStdin = texts == ["-"] || (texts.isEmpty && isatty(STDIN_FILENO) == 0)
        if texts.isEmpty && !readsStdin {
            throw CommandError.usage("nothing to embed: give texts as arguments, or pipe them on stdin")
        }
        if jsonl && !readsStdin { throw CommandError.usage("--jsonl reads stdin: pipe JSON lines in, or pass '-'") }
        let model = try modelOptions.load(precision: precision)
        let layer = self.layer ?? model.layerCount
        let dim = self.dim ?? model.hiddenSize
        try model.validate(layer: layer, dim: dim)
        let writer = OutputWriter()

        func emit(_ inputs: [EmbedInput]) {
            let embeddings = model.embed(inputs.map(\.text), prompt: prompt, threads: modelOptions.threadCount)
            var out = ""
            for (input, embedding) in zip(inputs, embeddings) {
                out += "{" + input.echoedFields + "\"text\":" + JSONText.string(input.text)
                if tokens { out += ",\"tokens\":\(model.tokenizer.encode(model.prompts.apply(prompt, to: input.text)).count)" }
                if allLayers {
                    let layers = (1...model.layerCount).map {
                        JSONText.array(embedding.vector(layer: $0, dim: dim, normalized: !noNormalize))
                    }
                    out += ",\"dim\":\(dim),\"layers\":[" + layers.joined(separator: ",") + "]}\n"
                } else {
                    out += ",\"layer\":\(layer),\"dim\":\(dim),\"vector\":"
                        + JSONText.array(embedding.vector(layer: layer, dim: dim, normalized: !noNormalize)) + "}\n"
                }
            }
            writer.write(out)
        }

        if readsStdin {
            var batch: [EmbedInput] = []
            try StdinLines.forEach { line, number in
                if jsonl {
                    if line.allSatisfy(\.isWhitespace) { return }
                    batch.append(try EmbedInput(jsonLine: line, number: number))
                } else {
                    batch.append(EmbedInput(text: line, echoedFields: ""))
                }
                if batch.count >= 256 { emit(batch); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { emit(batch) }
        } else {
            emit(texts.map { EmbedInput(text: $0, echoedFields: "") })
        }
        writer.flush()
    }
}
