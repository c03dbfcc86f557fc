import Foundation
import SemsearchCore

/// The quantizers of an index's stored layers, and the chains their predictions make: a layer
/// predicted from a deeper one is encoded and decoded after it, from its decoded values (closed
/// loop, so rounding errors never add up along the chain). A layer without a quantizer is fp16.
public struct LayerQuantizers: Sendable, Equatable {
    public let byLayer: [Int: VectorQuantizer]

    public init(_ byLayer: [Int: VectorQuantizer] = [:]) {
        self.byLayer = byLayer
    }

    public subscript(layer: Int) -> VectorQuantizer? { byLayer[layer] }

    /// `layer`, then the layer it is predicted from, and so on to a layer predicted from none.
    public func chain(of layer: Int) -> [Int] {
        var out = [layer]
        while let base = byLayer[out.last!]?.prediction?.baseLayer, !out.contains(base) { out.append(base) }
        return out
    }

    /// The reader of `layer`'s stored BLOBs, each row given with the BLOBs of its chain.
    func decoder(layer: Int, width: Int) -> StoredVectorDecoder {
        StoredVectorDecoder(width: width, chain: chain(of: layer).map { byLayer[$0] })
    }

    /// One chunk's vectors (`vectors[i]` at `layers[i]`) as stored BLOBs, deepest first so each
    /// predicted layer is encoded against its base as it will be decoded.
    public func encode(layers: [Int], vectors: [[Float]]) -> [Int: Data] {
        var blobs: [Int: Data] = [:], decoded: [Int: [Float]] = [:]
        for (layer, vector) in zip(layers, vectors).sorted(by: { $0.0 > $1.0 }) {
            // A layer without a quantizer, or whose base is not among `layers`, is stored as fp16.
            guard let quantizer = byLayer[layer], quantizer.prediction.map({ decoded[$0.baseLayer] != nil }) ?? true else {
                blobs[layer] = VectorCodec.encode(vector)
                decoded[layer] = vector.map { Float(Float16($0)) }
                continue
            }
            let base = quantizer.prediction.flatMap { decoded[$0.baseLayer] }
            let codes = quantizer.encode(vector, base: base)
            blobs[layer] = codes
            decoded[layer] = quantizer.decode(codes, base: base)
        }
        return blobs
    }

    /// One chunk's stored BLOBs (`blobs[layer]`, nil where missing) decoded at full `width`, deepest
    /// first; a layer whose BLOB (or base) is missing or unreadable is left out.
    public func decode(blobs: [Int: Data], width: Int) -> [Int: [Float]] {
        var decoded: [Int: [Float]] = [:]
        for layer in blobs.keys.sorted(by: >) {
            guard let blob = blobs[layer] else { continue }
            let quantizer = byLayer[layer]
            let base = quantizer?.prediction.flatMap { decoded[$0.baseLayer] }
            var out = [Float](repeating: 0, count: width)
            let ok = blob.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer { out in
                    (base ?? []).withUnsafeBufferPointer { baseValues in
                        StoredVectorDecoder.decode(raw.baseAddress!, bytes: blob.count, dim: width, width: width, quantizer: quantizer,
                                                   base: base == nil ? nil : baseValues.baseAddress, into: out.baseAddress!)
                    }
                }
            }
            if ok { decoded[layer] = out }
        }
        return decoded
    }

    /// Fits quantizers for `layers` on aligned samples (`samples[layer]`, `count × width` each, the
    /// same chunks in the same order), with `format`'s code widths; in `compact`, each layer below
    /// the deepest is predicted from the next deeper one. `fittedOn` is recorded as the collection's size.
    public static func fit(samples: [Int: [Float]], layers: [Int], format: VectorFormat, width: Int, fittedOn: Int) -> LayerQuantizers {
        let ordered = layers.sorted(by: >)
        guard let deepest = ordered.first else { return LayerQuantizers() }
        var out: [Int: VectorQuantizer] = [:], decoded: [Int: [Float]] = [:]
        for (index, layer) in ordered.enumerated() {
            guard let widths = format.widths(layer: layer, deepest: deepest, width: width), let rows = samples[layer] else { continue }
            let baseLayer = format.predictsFromDeeperLayer && index > 0 ? ordered[index - 1] : nil
            let prediction = baseLayer.flatMap { base in decoded[base].map { LayerPrediction.fit(rows: rows, base: $0, width: width, baseLayer: base) } }
            let base = prediction.map { decoded[$0.baseLayer]! }
            let target = prediction.map { $0.residual(of: rows, base: base!) } ?? rows
            let quantizer = VectorQuantizer.fit(rows: target, widths: widths).recorded(fittedOn: fittedOn).predicting(with: prediction)
            out[layer] = quantizer
            // What searches will read back, the next layer's base.
            var back: [Float] = []
            back.reserveCapacity(rows.count)
            for row in 0..<(rows.count / width) {
                let slice = (row * width)..<((row + 1) * width)
                let rowBase = base.map { Array($0[slice]) }
                back += quantizer.decode(quantizer.encode(rows[slice], base: rowBase), base: rowBase)
            }
            decoded[layer] = back
        }
        return LayerQuantizers(out)
    }
}
