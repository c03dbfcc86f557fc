import SemsearchCore

/// A model family's network, as `LayerEncoder` drives it: its shape, and a forward pass per worker.
///
/// A family implements this once (`BertArchitecture`, `Gemma3Architecture`); batching, threads,
/// pooling ranges and early exit stay in `LayerEncoder`, shared by all families.
protocol EncoderArchitecture: Sendable {
    /// Number of layers, each yielding one pooled vector.
    var layerCount: Int { get }
    /// Width of each layer's pooled vector (after the family's head, if it has one).
    var outputSize: Int { get }
    /// Longest sequence the network reads, special tokens included.
    var maxPositions: Int { get }
    /// Token ids at or beyond this are replaced by 0 before the pass.
    var vocabularySize: Int { get }
    /// A new forward pass with its own scratch memory, for one worker thread; its int8 products
    /// may split across `threads` threads (fp32 ones follow OpenBLAS's thread count).
    func makePass(threads: Int) -> any ForwardPass
    /// Multiply-adds of one pass over a sequence of `length` tokens, counted as 2 FLOPs each.
    func flops(length: Int) -> Double
}
