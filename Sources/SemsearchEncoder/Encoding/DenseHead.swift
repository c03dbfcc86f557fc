import SemsearchCore
import CBLAS
import Foundation

/// The sentence-transformers `Dense` modules after pooling (EmbeddingGemma: 768 → 3072 → 768, no
/// bias, identity activation), applied to every layer's pooled vector so that `v(l, d)` is the
/// model's own head over layer l, and at the last layer exactly the model's embedding.
struct DenseHead: Sendable {
    /// One linear map: `out × in` weights (a PyTorch `Linear`), optional bias.
    struct Layer: Sendable {
        let weight: FloatBuffer
        let bias: FloatBuffer?
        let inputs: Int, outputs: Int
    }

    let layers: [Layer]

    var inputSize: Int { layers.first?.inputs ?? 0 }
    var outputSize: Int { layers.last?.outputs ?? 0 }

    /// Reads the `Dense` module directories named in `modules.json`, in order; each holds a
    /// `config.json` (`in_features`, `out_features`, `bias`, `activation_function`) and a
    /// `model.safetensors` with `linear.weight` (and `linear.bias`).
    init(directories: [String]) throws {
        var layers: [Layer] = []
        for directory in directories {
            let configPath = (directory as NSString).appendingPathComponent("config.json")
            guard let config = try SentenceTransformersFiles.decode(SentenceTransformersFiles.DenseConfig.self, atPath: configPath),
                  config.inFeatures > 0, config.outFeatures > 0 else {
                throw ModelError.invalidJSON(path: configPath, reason: "a Dense module needs in_features and out_features")
            }
            let inputs = config.inFeatures, outputs = config.outFeatures
            let activation = config.activationFunction ?? "torch.nn.modules.linear.Identity"
            guard activation.hasSuffix("Identity") else {
                throw ModelError.unsupportedConfig(path: configPath, reason: "Dense activation '\(activation)' is not supported (only Identity)")
            }
            if let previous = layers.last, previous.outputs != inputs {
                throw ModelError.unsupportedConfig(path: configPath, reason: "Dense in_features \(inputs) does not follow the previous out_features \(previous.outputs)")
            }
            let file = try SafeTensorsFile(path: (directory as NSString).appendingPathComponent("model.safetensors"))
            let weight = FloatBuffer(uninitializedCount: outputs * inputs)
            try file.load("linear.weight", shape: [outputs, inputs], into: weight)
            var bias: FloatBuffer?
            if config.bias ?? true, file.tensors["linear.bias"] != nil {
                let b = FloatBuffer(uninitializedCount: outputs)
                try file.load("linear.bias", shape: [outputs], into: b)
                bias = b
            }
            layers.append(Layer(weight: weight, bias: bias, inputs: inputs, outputs: outputs))
        }
        self.layers = layers
    }

    /// Applies the head to `rows` vectors at `input` (each `inputSize` wide) and writes `rows`
    /// vectors of `outputSize` to `output`.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        guard !layers.isEmpty else { output.update(from: input, count: rows * inputSize); return }
        var current = UnsafeMutablePointer(mutating: input)
        var scratch: [FloatBuffer] = []
        for (index, layer) in layers.enumerated() {
            let target: UnsafeMutablePointer<Float>
            if index == layers.count - 1 {
                target = output
            } else {
                let buffer = FloatBuffer(uninitializedCount: rows * layer.outputs)
                scratch.append(buffer)
                target = buffer.pointer
            }
            for r in 0..<rows {
                if let bias = layer.bias {
                    (target + r * layer.outputs).update(from: bias.pointer, count: layer.outputs)
                } else {
                    (target + r * layer.outputs).update(repeating: 0, count: layer.outputs)
                }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(layer.outputs), Int32(layer.inputs),
                        1, current, Int32(layer.inputs), layer.weight.pointer, Int32(layer.inputs), 1, target, Int32(layer.outputs))
            current = target
        }
        withExtendedLifetime(scratch) {}
    }

    /// Multiply-adds of the head over one vector, as FLOPs.
    var flopsPerVector: Double { layers.reduce(0) { $0 + 2 * Double($1.inputs * $1.outputs) } }
}
