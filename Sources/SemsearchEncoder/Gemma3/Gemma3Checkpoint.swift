import SemsearchCore

/// A Gemma 3 checkpoint's tensors under their canonical names (`embed_tokens.weight`,
/// `layers.N.…`, `norm.weight`), whatever prefix (`model.`, `language_model.model.`) the file
/// uses, each checked against the configuration when the checkpoint opens.
public struct Gemma3Checkpoint: Sendable {
    public let file: SafeTensorsFile
    public let configuration: Gemma3Configuration
    private let prefix: String

    public init(file: SafeTensorsFile, configuration: Gemma3Configuration) throws {
        prefix = try file.namePrefix(anchor: "embed_tokens.weight", family: "Gemma 3")
        self.file = file
        self.configuration = configuration
        for (name, shape) in expectedTensors {
            guard let info = file.tensors[prefix + name] else {
                throw ModelError.corruptWeights(path: file.path, reason: "missing tensor \(name) \(shape)")
            }
            guard info.shape == shape else {
                throw ModelError.corruptWeights(path: file.path, reason: "tensor \(name) has shape \(info.shape), config says \(shape)")
            }
        }
    }

    /// Every tensor the encoder needs, canonical name → shape, in a stable order.
    public var expectedTensors: [(name: String, shape: [Int])] {
        let c = configuration
        let h = c.hiddenSize, q = c.headCount * c.headSize, kv = c.keyValueHeadCount * c.headSize, i = c.intermediateSize
        var list: [(String, [Int])] = [("embed_tokens.weight", [c.vocabularySize, h])]
        for l in 0..<c.layerCount {
            let p = "layers.\(l)."
            list += [
                (p + "input_layernorm.weight", [h]),
                (p + "self_attn.q_proj.weight", [q, h]), (p + "self_attn.k_proj.weight", [kv, h]),
                (p + "self_attn.v_proj.weight", [kv, h]), (p + "self_attn.o_proj.weight", [h, q]),
                (p + "self_attn.q_norm.weight", [c.headSize]), (p + "self_attn.k_norm.weight", [c.headSize]),
                (p + "post_attention_layernorm.weight", [h]), (p + "pre_feedforward_layernorm.weight", [h]),
                (p + "mlp.gate_proj.weight", [i, h]), (p + "mlp.up_proj.weight", [i, h]), (p + "mlp.down_proj.weight", [h, i]),
                (p + "post_feedforward_layernorm.weight", [h]),
            ]
        }
        list.append(("norm.weight", [h]))
        return list
    }

    /// The tensor `name` (canonical) as `Float`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        try file.floats(prefix + name, shape: shape)
    }

    /// The tensor `name` (canonical) converted into `buffer` at `offset`.
    func load(_ name: String, shape: [Int], into buffer: FloatBuffer, at offset: Int = 0) throws {
        try file.load(prefix + name, shape: shape, into: buffer, at: offset)
    }

    /// The 2-D tensor `name` (canonical) as rows converted on request.
    func rows(_ name: String, shape: [Int]) throws -> TensorRows {
        try file.rows(prefix + name, shape: shape)
    }
}
