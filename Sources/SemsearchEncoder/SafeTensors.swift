import SemsearchCore
import Foundation

/// A read-only view of a `.safetensors` file: an 8-byte little-endian header length, a JSON header
/// mapping tensor names to dtype, shape and byte offsets, then the raw little-endian data.
///
/// The file is memory-mapped; tensors are converted to `Float` on request, so fp32, fp16 and bf16
/// checkpoints load the same way. Every offset and size is validated against the file length, so a
/// truncated or corrupt file is reported, never read out of bounds.
public struct SafeTensorsFile: Sendable {
    public let path: String
    public let tensors: [String: TensorInfo]
    private let data: Data
    private let dataStart: Int

    /// Opens and validates the header of the safetensors file at `path`.
    public init(path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard data.count >= 8 else {
            throw ModelError.corruptWeights(path: path, reason: "file is \(data.count) bytes, shorter than a header")
        }
        let headerLength = data.withUnsafeBytes { raw -> UInt64 in
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        }
        guard headerLength > 0, headerLength <= UInt64(data.count - 8), headerLength < 100_000_000 else {
            throw ModelError.corruptWeights(path: path, reason: "header length \(headerLength) does not fit a \(data.count)-byte file")
        }
        let headerEnd = 8 + Int(headerLength)
        let entries: [String: HeaderEntry]
        do {
            entries = try JSONDecoder().decode(Header.self, from: data.subdata(in: 8..<headerEnd)).entries
        } catch let HeaderError.malformed(name) {
            throw ModelError.corruptWeights(path: path, reason: "malformed header entry for \(name)")
        } catch {
            throw ModelError.corruptWeights(path: path, reason: "header is not a JSON object of tensors (\(DecodingFailure.describe(error)))")
        }
        let dataLength = data.count - headerEnd
        var tensors: [String: TensorInfo] = [:]
        for (name, entry) in entries {
            let dtypeName = entry.dtype, shape = entry.shape, offsets = entry.offsets
            guard offsets.count == 2 else { throw ModelError.corruptWeights(path: path, reason: "malformed header entry for \(name)") }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                // Tensors of other types (e.g. bool masks) are allowed as long as nobody reads them.
                continue
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
                throw ModelError.corruptWeights(path: path, reason: "tensor \(name) lies outside the file (truncated download?)")
            }
            let info = TensorInfo(dtype: dtype, shape: shape, dataRange: offsets[0]..<offsets[1])
            guard info.elementCount * dtype.byteCount == info.dataRange.count else {
                throw ModelError.corruptWeights(path: path, reason: "tensor \(name) has \(info.dataRange.count) bytes for shape \(shape) \(dtype.rawValue)")
            }
            tensors[name] = info
        }
        self.tensors = tensors
        self.data = data
        self.dataStart = headerEnd
    }

    /// The tensor `name` converted to `Float` straight into `buffer` at `offset`, checked against `shape`.
    func load(_ name: String, shape expected: [Int], into buffer: FloatBuffer, at offset: Int = 0) throws {
        guard let info = tensors[name] else {
            throw ModelError.corruptWeights(path: path, reason: "missing tensor \(name)")
        }
        guard info.shape == expected else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) has shape \(info.shape), config says \(expected)")
        }
        guard info.dtype != .i64 else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) holds integers, expected floats")
        }
        let count = info.elementCount
        precondition(offset + count <= buffer.count)
        let out = buffer.pointer + offset
        data.withUnsafeBytes { raw in
            Self.convert(raw.baseAddress! + dataStart + info.dataRange.lowerBound, dtype: info.dtype, count: count, into: out)
        }
        guard Self.allFinite(out, count: count) else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) holds NaN or infinite values")
        }
    }

    /// The tensor `name` converted to `Float`, checked against `shape`.
    public func floats(_ name: String, shape expected: [Int]) throws -> [Float] {
        guard let info = tensors[name] else {
            throw ModelError.corruptWeights(path: path, reason: "missing tensor \(name)")
        }
        guard info.shape == expected else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) has shape \(info.shape), config says \(expected)")
        }
        let count = info.elementCount
        let start = dataStart + info.dataRange.lowerBound
        guard info.dtype != .i64 else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) holds integers, expected floats")
        }
        return try data.withUnsafeBytes { raw -> [Float] in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<(start + info.dataRange.count)])
            return try [Float](unsafeUninitializedCapacity: count) { out, initialized in
                Self.convert(bytes.baseAddress!, dtype: info.dtype, count: count, into: out.baseAddress!)
                initialized = count
                guard out.allSatisfy({ $0.isFinite }) else {
                    throw ModelError.corruptWeights(path: path, reason: "tensor \(name) holds NaN or infinite values")
                }
            }
        }
    }

    /// The rows of the 2-D tensor `name`, converted to `Float` one row at a time on request and
    /// read straight from the mapped file: for an embedding table, of which a query touches a few
    /// rows, this skips converting (and holding) the whole table.
    public func rows(_ name: String, shape expected: [Int]) throws -> TensorRows {
        guard let info = tensors[name] else {
            throw ModelError.corruptWeights(path: path, reason: "missing tensor \(name)")
        }
        guard info.shape == expected, expected.count == 2 else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) has shape \(info.shape), config says \(expected)")
        }
        guard info.dtype != .i64 else {
            throw ModelError.corruptWeights(path: path, reason: "tensor \(name) holds integers, expected floats")
        }
        return TensorRows(data: data, offset: dataStart + info.dataRange.lowerBound, dtype: info.dtype, rows: expected[0], width: expected[1])
    }

    /// Whether no value is NaN or infinite: x − x is 0 for every finite x and NaN otherwise, so
    /// one vectorizable pass of subtractions and adds answers it.
    static func allFinite(_ values: UnsafePointer<Float>, count: Int) -> Bool {
        var acc = SIMD8<Float>()
        var i = 0
        let raw = UnsafeRawPointer(values)
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc += x - x
            i += 8
        }
        var tail: Float = 0
        while i < count { tail += values[i] - values[i]; i += 1 }
        return acc.sum() == 0 && tail == 0
    }

    /// Converts `count` little-endian values of `dtype` at `bytes` to `Float`.
    static func convert(_ bytes: UnsafeRawPointer, dtype: TensorDType, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .f16:
            HalfPrecision.widen(bytes, count: count, into: out)
        case .bf16:
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
            }
        case .i64:
            preconditionFailure("I64 tensors are refused before conversion")
        }
    }
}

/// Drops the pages of `count` bytes at `base` from this process's resident memory; a file-backed
/// mapping keeps them in the page cache, and the next read faults them back in.
private func releasePages(_ base: UnsafeRawPointer, count: Int) {
    let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
    // Only whole pages inside the range: a neighbour's page may still be wanted.
    let start = (UInt(bitPattern: base) + page - 1) / page * page
    let end = (UInt(bitPattern: base) + UInt(count)) / page * page
    guard end > start else { return }
    _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED)
}

extension SafeTensorsFile {
    /// Drops the file's pages from this process's resident memory once the weights it holds are
    /// converted (the token table is read again row by row, and faults its rows back in).
    func releaseResidentPages() {
        data.withUnsafeBytes { raw in if let base = raw.baseAddress { releasePages(base, count: raw.count) } }
    }
}

extension TensorRows {
    /// Drops the table's pages from resident memory: a long indexing run would otherwise keep every
    /// page a token ever touched (up to 400 MB for EmbeddingGemma's 262,144 × 768 fp16 table).
    public func releaseResidentPages() {
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { releasePages(base + offset, count: rows * width * dtype.byteCount) }
        }
    }
}

extension SafeTensorsFile {
    /// The prefix the file puts before canonical tensor names (`bert.`, `model.`, or none), found
    /// from the shortest tensor name ending in `anchor`; nil when no tensor does.
    func namePrefix(anchor: String) -> String? {
        tensors.keys.filter { $0.hasSuffix(anchor) }.min { $0.count < $1.count }.map { String($0.dropLast(anchor.count)) }
    }

    /// The prefix before `anchor`, the tensor every checkpoint of `family` has; throws when there
    /// is no such tensor, naming the family the file is not.
    func namePrefix(anchor: String, family: String) throws -> String {
        guard let prefix = namePrefix(anchor: anchor) else {
            throw ModelError.corruptWeights(path: path, reason: "no \(anchor) tensor: not a \(family) checkpoint")
        }
        return prefix
    }
}

/// The JSON header of a safetensors file: each tensor's entry by name, `__metadata__` left out.
private struct Header: Decodable {
    var entries: [String: HeaderEntry]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var entries: [String: HeaderEntry] = [:]
        for key in container.allKeys where key.stringValue != "__metadata__" {
            do { entries[key.stringValue] = try container.decode(HeaderEntry.self, forKey: key) } catch {
                throw HeaderError.malformed(key.stringValue)
            }
        }
        self.entries = entries
    }
}

/// One tensor's header entry.
private struct HeaderEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var offsets: [Int]
    enum CodingKeys: String, CodingKey { case dtype, shape, offsets = "data_offsets" }
}

private enum HeaderError: Error {
    case malformed(String)
}
