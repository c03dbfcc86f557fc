import SemsearchCore

/// One worker's forward pass over a ragged batch; reused across batches, never shared between threads.
protocol ForwardPass: AnyObject {
    /// Runs `sequences` through the first `depth` layers and writes each sequence's pooled vector of
    /// each of them to `output` (`depth × outputSize` floats per sequence, sequence after sequence).
    /// With `poolRanges`, mean pooling of sequence i covers only its tokens in `poolRanges[i]`
    /// (CLS pooling ignores them).
    func run(_ sequences: ArraySlice<[Int32]>, poolRanges: ArraySlice<Range<Int>>?, depth: Int, output: UnsafeMutablePointer<Float>)
}
