import SemsearchCore
import CPUFeatures

/// Vectorized elementwise kernels of the encoders: exp, GELU (erf and tanh forms), softmax,
/// LayerNorm and RMSNorm.
///
/// They work on `SIMD8<Float>`, which release builds lower to AVX2/FMA (see Package.swift), with a
/// scalar-equivalent tail, so no lane ever reads past the end of a row. GELU, GeGLU and softmax run
/// sixteen lanes wide in C on CPUs with AVX-512 (`EncoderKernels.h`), with the same polynomials;
/// GELU also eight lanes wide in C on AVX2, where it takes a reciprocal estimate for the division.
package enum Kernels {
    package typealias Vector = SIMD8<Float>

    /// Whether GELU, GeGLU and softmax run on `EncoderKernels.h`'s sixteen-lane kernels.
    package static let sixteenLanes = semsearch_encoder_kernels_available() != 0

    /// Whether `gelu` runs in C (`semsearch_gelu`): sixteen lanes wide with AVX-512, else eight with
    /// AVX2 and FMA.
    package static let geluInC = semsearch_gelu_available() != 0

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// Reads up to 8 elements, filling missing lanes with `fill`.
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int, fill: Float) -> Vector {
        var v = Vector(repeating: fill)
        for i in 0..<n { v[i] = p[i] }
        return v
    }

    @inline(__always)
    static func storePartial(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { p[i] = v[i] }
    }

    // The standard library's `pointwiseMax`, `pointwiseMin` and `clamped` are calls to a scalar loop
    // here, not vector instructions (perf: 15% of an int8 MiniLM pass in them); these select with a
    // lane mask, which lowers to `vmaxps`/`vminps`/`vblendvps`.
    @inline(__always)
    static func maximum(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .> a) }

    @inline(__always)
    static func minimum(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .< a) }

    /// |x| by clearing the sign bits.
    @inline(__always)
    static func absolute(_ x: Vector) -> Vector {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & SIMD8<UInt32>(repeating: 0x7fff_ffff), to: Vector.self)
    }

    /// e^x with about 1 ulp relative error on [-87, 88] (Cephes' polynomial after reduction by ln 2).
    @inline(__always)
    package static func exp(_ x: Vector) -> Vector {
        let x = maximum(minimum(x, Vector(repeating: 88.0)), Vector(repeating: -87.0))
        // Adding 1.5·2^23 rounds x·log2(e) to an integer held in the low mantissa bits.
        let shifter = Vector(repeating: 12_582_912.0)
        let t = x * Vector(repeating: 1.442_695_04) + shifter
        let n = t - shifter
        var r = x - n * Vector(repeating: 0.693_359_375)
        r = r - n * Vector(repeating: -2.121_944_40e-4)
        var p = Vector(repeating: 1.987_569_150_0e-4)
        p = p * r + Vector(repeating: 1.398_199_950_7e-3)
        p = p * r + Vector(repeating: 8.333_451_907_3e-3)
        p = p * r + Vector(repeating: 4.166_579_589_4e-2)
        p = p * r + Vector(repeating: 1.666_666_545_9e-1)
        p = p * r + Vector(repeating: 5.000_000_120_1e-1)
        let er = p * r * r + r + Vector(repeating: 1)
        let exponent = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self) &+ 127) &<< 23
        return er * unsafeBitCast(exponent, to: Vector.self)
    }

    /// erf(x) with at most 1.5e-7 absolute error (Abramowitz & Stegun 7.1.26).
    @inline(__always)
    package static func erf(_ x: Vector) -> Vector {
        let a = absolute(x)
        let t = Vector(repeating: 1) / (Vector(repeating: 1) + Vector(repeating: 0.327_591_1) * a)
        var p = Vector(repeating: 1.061_405_429)
        p = p * t + Vector(repeating: -1.453_152_027)
        p = p * t + Vector(repeating: 1.421_413_741)
        p = p * t + Vector(repeating: -0.284_496_736)
        p = p * t + Vector(repeating: 0.254_829_592)
        let y = Vector(repeating: 1) - p * t * exp(-a * a)
        return y.replacing(with: -y, where: x .< 0)
    }

    /// GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)), in place over `count` elements.
    package static func gelu(_ p: UnsafeMutablePointer<Float>, count: Int) {
        if geluInC { semsearch_gelu(p, count) } else { geluEightLanes(p, count: count) }
    }

    /// `gelu` on eight lanes, whatever the CPU has.
    package static func geluEightLanes(_ p: UnsafeMutablePointer<Float>, count: Int) {
        @inline(__always) func f(_ x: Vector) -> Vector {
            Vector(repeating: 0.5) * x * (Vector(repeating: 1) + erf(x * Vector(repeating: 0.707_106_781_186_547_5)))
        }
        var i = 0
        while i + 8 <= count { store(f(load(p + i)), p + i); i += 8 }
        if i < count { storePartial(f(loadPartial(p + i, count - i, fill: 0)), p + i, count - i) }
    }

    /// Softmax over each of `rows` rows of `count` scores (row stride `count`), in place.
    package static func softmax(_ p: UnsafeMutablePointer<Float>, rows: Int, count: Int) {
        if sixteenLanes {
            semsearch_softmax_rows(p, rows, count)
        } else {
            for r in 0..<rows { softmaxEightLanes(p + r * count, count: count) }
        }
    }

    /// Softmax of one row of `count` scores in place, on eight lanes whatever the CPU has.
    package static func softmaxEightLanes(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var maxV = Vector(repeating: -.greatestFiniteMagnitude)
        var i = 0
        while i + 8 <= count { maxV = maximum(maxV, load(p + i)); i += 8 }
        var m = maxV.max()
        for j in i..<count { m = Swift.max(m, p[j]) }
        let mv = Vector(repeating: m)
        var sumV = Vector.zero
        i = 0
        while i + 8 <= count { let e = exp(load(p + i) - mv); store(e, p + i); sumV += e; i += 8 }
        var sum = sumV.sum()
        if i < count {
            let e = exp(loadPartial(p + i, count - i, fill: m) - mv)
            storePartial(e, p + i, count - i)
            for j in 0..<(count - i) { sum += e[j] }
        }
        let inv = Vector(repeating: 1 / sum)
        i = 0
        while i + 8 <= count { store(load(p + i) * inv, p + i); i += 8 }
        for j in i..<count { p[j] *= inv[0] }
    }

    /// LayerNorm of one row in place: (x − mean) / √(var + ε) · γ + β.
    package static func layerNorm(_ p: UnsafeMutablePointer<Float>, count: Int, scale: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>, epsilon: Float) {
        var sumV = Vector.zero
        var i = 0
        while i + 8 <= count { sumV += load(p + i); i += 8 }
        var sum = sumV.sum()
        for j in i..<count { sum += p[j] }
        let mean = sum / Float(count)
        let meanV = Vector(repeating: mean)
        var varV = Vector.zero
        i = 0
        while i + 8 <= count { let d = load(p + i) - meanV; varV += d * d; i += 8 }
        var variance = varV.sum()
        for j in i..<count { let d = p[j] - mean; variance += d * d }
        let inv = 1 / (variance / Float(count) + epsilon).squareRoot()
        let invV = Vector(repeating: inv)
        i = 0
        while i + 8 <= count {
            store((load(p + i) - meanV) * invV * load(scale + i) + load(bias + i), p + i)
            i += 8
        }
        for j in i..<count { p[j] = (p[j] - mean) * inv * scale[j] + bias[j] }
    }

    /// y[i] = a[i] + b[i] for `count` elements.
    static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count { store(load(a + i) + load(b + i), y + i); i += 8 }
        for j in i..<count { y[j] = a[j] + b[j] }
    }

    /// y[i] += x[i] for `count` elements.
    static func accumulate(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count { store(load(y + i) + load(x + i), y + i); i += 8 }
        for j in i..<count { y[j] += x[j] }
    }

    /// RMSNorm of one row in place: x · scale / √(mean(x²) + ε). Gemma's `1 + w` is folded into `scale` at load.
    static func rmsNorm(_ p: UnsafeMutablePointer<Float>, count: Int, scale: UnsafePointer<Float>, epsilon: Float) {
        rmsNorm(p, into: p, count: count, scale: scale, epsilon: epsilon)
    }

    /// RMSNorm of the row at `x` written to `y` (which may be `x`).
    static func rmsNorm(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, scale: UnsafePointer<Float>, epsilon: Float) {
        var sumV = Vector.zero
        var i = 0
        while i + 8 <= count { let v = load(x + i); sumV += v * v; i += 8 }
        var sum = sumV.sum()
        for j in i..<count { sum += x[j] * x[j] }
        let inv = 1 / (sum / Float(count) + epsilon).squareRoot()
        let invV = Vector(repeating: inv)
        i = 0
        while i + 8 <= count { store(load(x + i) * invV * load(scale + i), y + i); i += 8 }
        for j in i..<count { y[j] = x[j] * inv * scale[j] }
    }

    /// tanh(x) = 1 − 2 / (e^{2x} + 1): absolute error about 1e-7 over the whole range, but the
    /// subtraction cancels near 0 (about 100 ulp at |x| = 1e-3, 15,000 at 1e-5), which GeGLU's
    /// 1 + tanh does not notice.
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        Vector(repeating: 1) - Vector(repeating: 2) / (exp(x + x) + Vector(repeating: 1))
    }

    /// GeGLU with the tanh-approximated GELU (`gelu_pytorch_tanh`): for each of `rows` rows of
    /// `2 × width` values `[gate | up]`, writes GELU(gate) · up to the `width`-wide row of `out`.
    package static func gatedGELU(_ gateUp: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        if sixteenLanes { semsearch_gated_gelu_rows(gateUp, out, rows, width) } else { gatedGELUEightLanes(gateUp, into: out, rows: rows, width: width) }
    }

    /// `gatedGELU` on eight lanes, whatever the CPU has.
    package static func gatedGELUEightLanes(_ gateUp: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let c = Vector(repeating: 0.797_884_560_802_865_4), k = Vector(repeating: 0.044_715)
        @inline(__always) func f(_ g: Vector, _ u: Vector) -> Vector {
            Vector(repeating: 0.5) * g * (Vector(repeating: 1) + tanh(c * (g + k * g * g * g))) * u
        }
        for r in 0..<rows {
            let g = gateUp + r * 2 * width, u = g + width, y = out + r * width
            var i = 0
            while i + 8 <= width { store(f(load(g + i), load(u + i)), y + i); i += 8 }
            if i < width { storePartial(f(loadPartial(g + i, width - i, fill: 0), loadPartial(u + i, width - i, fill: 0)), y + i, width - i) }
        }
    }
}
