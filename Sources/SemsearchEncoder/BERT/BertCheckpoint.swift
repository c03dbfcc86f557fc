import SemsearchCore

/// A BERT checkpoint's tensors under their canonical Hugging Face names (`embeddings.…`,
/// `encoder.layer.N.…`), whatever prefix (`bert.`, `model.`) or LayerNorm naming
/// (`weight`/`bias` or `gamma`/`beta`) the file uses, each checked against the configuration.
public struct BertCheckpoint: Sendable {
    public let file: SafeTensorsFile
    public let configuration: BertConfiguration
    private let prefix: String

    public init(file: SafeTensorsFile, configuration: BertConfiguration) throws {
        prefix = try file.namePrefix(anchor: "embeddings.word_embeddings.weight", family: "BERT")
        self.file = file
        self.configuration = configuration
        // Fail now, not halfway through a run, when anything is missing or misshapen.
        for (name, shape) in expectedTensors where resolvedName(name) == nil {
            throw ModelError.corruptWeights(path: file.path, reason: "missing tensor \(name) \(shape)")
        }
    }

    /// Every tensor the encoder needs, canonical name → shape, in a stable order.
    public var expectedTensors: [(name: String, shape: [Int])] {
        let c = configuration
        let h = c.hiddenSize, i = c.intermediateSize
        var list: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [c.vocabularySize, h]),
            ("embeddings.position_embeddings.weight", [c.maxPositions, h]),
            ("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h]),
            ("embeddings.LayerNorm.weight", [h]),
            ("embeddings.LayerNorm.bias", [h]),
        ]
        for l in 0..<c.layerCount {
            let p = "encoder.layer.\(l)."
            for part in ["query", "key", "value"] {
                list.append((p + "attention.self.\(part).weight", [h, h]))
                list.append((p + "attention.self.\(part).bias", [h]))
            }
            list += [
                (p + "attention.output.dense.weight", [h, h]), (p + "attention.output.dense.bias", [h]),
                (p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                (p + "intermediate.dense.weight", [i, h]), (p + "intermediate.dense.bias", [i]),
                (p + "output.dense.weight", [h, i]), (p + "output.dense.bias", [h]),
                (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h]),
            ]
        }
        return list
    }

    /// The tensor `name` (canonical) as `Float`, validated against `shape`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let stored = resolvedName(name) else {
            throw ModelError.corruptWeights(path: file.path, reason: "missing tensor \(name)")
        }
        return try file.floats(stored, shape: shape)
    }

    /// The tensor `name` (canonical) converted into `buffer` at `offset`, validated against `shape`.
    func load(_ name: String, shape: [Int], into buffer: FloatBuffer, at offset: Int = 0) throws {
        guard let stored = resolvedName(name) else {
            throw ModelError.corruptWeights(path: file.path, reason: "missing tensor \(name)")
        }
        try file.load(stored, shape: shape, into: buffer, at: offset)
    }

    /// The 2-D tensor `name` (canonical) as rows converted on request (see `TensorRows`).
    public func rows(_ name: String, shape: [Int]) throws -> TensorRows {
        guard let stored = resolvedName(name) else {
            throw ModelError.corruptWeights(path: file.path, reason: "missing tensor \(name)")
        }
        return try file.rows(stored, shape: shape)
    }

    private func resolvedName(_ name: String) -> String? {
        var candidates = [prefix + name]
        if name.hasSuffix("LayerNorm.weight") { candidates.append(prefix + name.dropLast(6) + "gamma") }
        if name.hasSuffix("LayerNorm.bias") { candidates.append(prefix + name.dropLast(4) + "beta") }
        return candidates.first { file.tensors[$0] != nil }
    }
}
