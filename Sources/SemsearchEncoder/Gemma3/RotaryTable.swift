import SemsearchCore
import Foundation

/// Rotary position embedding in the rotate-half form: for position p and pair j < d/2,
/// (x_j, x_{j+d/2}) turns by the angle p · base^(−2j/d), computed in fp32 as the reference does.
struct RotaryTable: Sendable {
    let cos: FloatBuffer, sin: FloatBuffer
    let half: Int

    init(base: Double, headSize: Int, positions: Int) {
        half = headSize / 2
        cos = FloatBuffer(count: positions * half)
        sin = FloatBuffer(count: positions * half)
        for j in 0..<half {
            let frequency = Float(1 / pow(base, Double(2 * j) / Double(headSize)))
            for p in 0..<positions {
                let angle = Float(p) * frequency
                cos.pointer[p * half + j] = Float(Foundation.cos(Double(angle)))
                sin.pointer[p * half + j] = Float(Foundation.sin(Double(angle)))
            }
        }
    }

    /// Rotates one head's vector of `2 × half` values at `position`, in place.
    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, position: Int) {
        let c = cos.pointer + position * half, s = sin.pointer + position * half
        for j in 0..<half {
            let a = x[j], b = x[j + half]
            x[j] = a * c[j] - b * s[j]
            x[j + half] = b * c[j] + a * s[j]
        }
    }
}
