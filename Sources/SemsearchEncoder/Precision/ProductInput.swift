/// The rows a `LinearWeight` multiplies: as they are, or a feed-forward's activation of them. The
/// activation belongs to the product so that the int8 block path can apply it while quantizing,
/// one pass over the feed-forward's widest rows instead of two (a separate eight-lane GELU took 11%
/// of an int8 MiniLM pass).
enum ProductInput {
    /// A itself (rows × inputs, row-major).
    case rows(UnsafePointer<Float>)
    /// GELU(A) for the pre-activations A. They are consumed: afterwards the buffer holds GELU(A)
    /// where GELU ran as a pass of its own (fp32, portable int8) or inside the 16-bit quantizer
    /// (AVX2), or A unchanged where the 8-bit block quantizer applied it (VNNI).
    case geluOf(UnsafeMutablePointer<Float>)
    /// GELU_tanh(gate) · up (EmbeddingGemma's GeGLU) for rows of `[gate | up]`, twice the product's
    /// inputs wide. Where it runs as a pass of its own it writes its rows to `scratch`
    /// (rows × inputs); the int8 block path does not touch it.
    case gatedGELUOf(UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>)
}
