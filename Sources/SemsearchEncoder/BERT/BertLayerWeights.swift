import SemsearchCore

/// One transformer layer's weights, laid out for the forward pass: Q, K and V fused into one
/// `3H × H` matrix so a single GEMM produces all three. The four matrices are fp32 or int8
/// (`EncoderPrecision`); biases and norms are fp32 always.
struct BertLayerWeights: Sendable {
    let qkv: LinearWeight, qkvBias: FloatBuffer
    let attentionOutput: LinearWeight, attentionOutputBias: FloatBuffer
    let attentionNormScale: FloatBuffer, attentionNormBias: FloatBuffer
    let intermediate: LinearWeight, intermediateBias: FloatBuffer
    let output: LinearWeight, outputBias: FloatBuffer
    let outputNormScale: FloatBuffer, outputNormBias: FloatBuffer
}
