import SemsearchCore
import Foundation

/// One Gemma 3 layer's weights, laid out for the forward pass: K and V fused into one matrix, gate
/// and up fused into one, and every RMSNorm weight stored as the `1 + w` it is applied as. The five
/// matrices are fp32 or int8 (`EncoderPrecision`); norms are fp32 always.
struct Gemma3LayerWeights: Sendable {
    let inputNorm: FloatBuffer
    let query: LinearWeight, keyValue: LinearWeight, output: LinearWeight
    let queryNorm: FloatBuffer, keyNorm: FloatBuffer
    let postAttentionNorm: FloatBuffer, preFeedForwardNorm: FloatBuffer, postFeedForwardNorm: FloatBuffer
    let gateUp: LinearWeight, down: LinearWeight
}
