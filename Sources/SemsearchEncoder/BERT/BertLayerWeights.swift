import SemsearchCore

/// One transformer layer's weights, laid out for the forward pass: Q, K and V fused into one
/// `3H × H` matrix so a single GEMM produces all three.
struct BertLayerWeights: Sendable {
    let qkv: FloatBuffer, qkvBias: FloatBuffer
    let attentionOutput: FloatBuffer, attentionOutputBias: FloatBuffer
    let attentionNormScale: FloatBuffer, attentionNormBias: FloatBuffer
    let intermediate: FloatBuffer, intermediateBias: FloatBuffer
    let output: FloatBuffer, outputBias: FloatBuffer
    let outputNormScale: FloatBuffer, outputNormBias: FloatBuffer
}
