/// The rows a `LinearWeight` multiplies: as they are, or GELU of them. GELU belongs to the product
/// so that the int8 block path can apply it while quantizing, one pass over the feed-forward's
/// widest rows instead of two (a separate eight-lane GELU took 11% of an int8 MiniLM pass).
enum ProductInput {
    /// A itself (rows × inputs, row-major).
    case rows(UnsafePointer<Float>)
    /// GELU(A) for the pre-activations A. They are consumed: afterwards the buffer holds GELU(A)
    /// where GELU ran as a pass of its own (fp32; int8 layers without the block kernel), or A
    /// unchanged where the quantizer applied it.
    case geluOf(UnsafeMutablePointer<Float>)
}
