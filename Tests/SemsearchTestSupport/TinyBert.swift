import Foundation
import SemsearchKit

/// Writes small random BERT model directories in the Hugging Face layout, so loading, dtypes,
/// naming variants, pooling and import are tested on real files without a large download.
public struct TinyBert {
    public var hidden = 8
    public var heads = 2
    public var layers = 2
    public var intermediate = 16
    public var maxPositions = 32
    public var dtype = "F32"
    public var prefix = ""
    public var gammaBeta = false
    public var pooling = "mean"
    public var vocabInTokenizerJSON = false
    public var modelType = "bert"

    public init(hidden: Int = 8, heads: Int = 2, layers: Int = 2, intermediate: Int = 16, maxPositions: Int = 32,
                dtype: String = "F32", prefix: String = "", gammaBeta: Bool = false, pooling: String = "mean",
                vocabInTokenizerJSON: Bool = false, modelType: String = "bert") {
        self.hidden = hidden
        self.heads = heads
        self.layers = layers
        self.intermediate = intermediate
        self.maxPositions = maxPositions
        self.dtype = dtype
        self.prefix = prefix
        self.gammaBeta = gammaBeta
        self.pooling = pooling
        self.vocabInTokenizerJSON = vocabInTokenizerJSON
        self.modelType = modelType
    }

    public static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat",
                             "dog", "##s", "a", ".", ",", "un", "##able", "hello", "world", "!"]

    /// Deterministic pseudo-random weights (a tiny LCG), scaled like an initialized BERT.
    public static func values(_ count: Int, seed: Int, scale: Float = 0.2) -> [Float] {
        var state = UInt64(seed &* 2_654_435_761 &+ 12345)
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
        }
    }

    public func tensors() -> [(String, [Int], [Float])] {
        let h = hidden, v = Self.vocabulary.count
        var list: [(String, [Int], [Float])] = []
        var seed = 1
        func add(_ name: String, _ shape: [Int], ones: Bool = false) {
            seed += 1
            var name = name
            if gammaBeta && name.hasSuffix("LayerNorm.weight") { name = String(name.dropLast(6)) + "gamma" }
            if gammaBeta && name.hasSuffix("LayerNorm.bias") { name = String(name.dropLast(4)) + "beta" }
            let count = shape.reduce(1, *)
            let values = ones ? Self.values(count, seed: seed, scale: 0.1).map { 1 + $0 } : Self.values(count, seed: seed)
            list.append((prefix + name, shape, values))
        }
        add("embeddings.word_embeddings.weight", [v, h])
        add("embeddings.position_embeddings.weight", [maxPositions, h])
        add("embeddings.token_type_embeddings.weight", [2, h])
        add("embeddings.LayerNorm.weight", [h], ones: true)
        add("embeddings.LayerNorm.bias", [h])
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            for part in ["query", "key", "value"] {
                add(p + "attention.self.\(part).weight", [h, h]); add(p + "attention.self.\(part).bias", [h])
            }
            add(p + "attention.output.dense.weight", [h, h]); add(p + "attention.output.dense.bias", [h])
            add(p + "attention.output.LayerNorm.weight", [h], ones: true); add(p + "attention.output.LayerNorm.bias", [h])
            add(p + "intermediate.dense.weight", [intermediate, h]); add(p + "intermediate.dense.bias", [intermediate])
            add(p + "output.dense.weight", [h, intermediate]); add(p + "output.dense.bias", [h])
            add(p + "output.LayerNorm.weight", [h], ones: true); add(p + "output.LayerNorm.bias", [h])
        }
        return list
    }

    /// Encodes values in `dtype` as little-endian bytes.
    public func encode(_ values: [Float]) -> Data {
        var data = Data()
        for x in values {
            switch dtype {
            case "F16": withUnsafeBytes(of: Float16(x).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            case "BF16": withUnsafeBytes(of: UInt16(x.bitPattern >> 16).littleEndian) { data.append(contentsOf: $0) }
            default: withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes the model directory at `url`.
    public func write(to url: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: url.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        let config: [String: Any] = [
            "model_type": modelType, "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
            "intermediate_size": intermediate, "vocab_size": Self.vocabulary.count, "max_position_embeddings": maxPositions,
            "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: url.appendingPathComponent("config.json"))
        if vocabInTokenizerJSON {
            let vocab = Dictionary(uniqueKeysWithValues: Self.vocabulary.enumerated().map { ($1, $0) })
            let json: [String: Any] = ["model": ["type": "WordPiece", "vocab": vocab]]
            try JSONSerialization.data(withJSONObject: json).write(to: url.appendingPathComponent("tokenizer.json"))
        } else {
            try (Self.vocabulary.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        }
        let poolingConfig: [String: Any] = ["pooling_mode_cls_token": pooling == "cls", "pooling_mode_mean_tokens": pooling == "mean"]
        try JSONSerialization.data(withJSONObject: poolingConfig).write(to: url.appendingPathComponent("1_Pooling/config.json"))

        var header: [String: Any] = [:]
        var body = Data()
        for (name, shape, values) in tensors() {
            let bytes = encode(values)
            header[name] = ["dtype": dtype, "shape": shape, "data_offsets": [body.count, body.count + bytes.count]]
            body.append(bytes)
        }
        let headerData = try JSONSerialization.data(withJSONObject: header)
        var file = Data()
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerData)
        file.append(body)
        try file.write(to: url.appendingPathComponent("model.safetensors"))
    }
}
