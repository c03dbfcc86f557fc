import SemsearchCore

/// Small vector helpers shared by the encoder, search and tests.
public enum VectorMath {
    /// Scales `v` to unit L2 norm (a zero vector stays zero).
    public static func normalize(_ v: inout [Float]) {
        v.withUnsafeMutableBufferPointer { normalize($0) }
    }

    /// Scales the values at `v` to unit L2 norm (a zero vector stays zero).
    public static func normalize(_ v: UnsafeMutableBufferPointer<Float>) {
        var sum: Float = 0
        for x in v { sum += x * x }
        guard sum > 0 else { return }
        let inv = 1 / sum.squareRoot()
        for i in v.indices { v[i] *= inv }
    }

    /// Cosine similarity of two equal-length vectors, computed in Double.
    public static func cosine<A: Collection<Float>, B: Collection<Float>>(_ a: A, _ b: B) -> Double {
        precondition(a.count == b.count)
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y)
        }
        guard na > 0, nb > 0 else { return 0 }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}
