import SemsearchCore
import Foundation

/// The files of a model import being written: copies from the source, written JSON, and fp16 tensors.
struct ModelImportCopy {
    let descriptor: ModelDescriptor
    let destination: String

    private var source: URL { URL(fileURLWithPath: descriptor.directory) }

    /// Copies `file` from the source when it exists, else writes `fallback()`.
    func copyOrWrite(_ file: String, _ fallback: () throws -> Data) throws {
        let fm = FileManager.default
        let from = source.appendingPathComponent(file), to = URL(fileURLWithPath: destination).appendingPathComponent(file)
        try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: from.path) {
            try fm.copyItem(at: from, to: to)
        } else {
            try fallback().write(to: to)
        }
    }

    /// Copies `file` from the source when it exists.
    func copyIfPresent(_ file: String) throws {
        guard FileManager.default.fileExists(atPath: source.appendingPathComponent(file).path) else { return }
        try copyOrWrite(file) { Data() }
    }

    func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Writes `tensors` (read as fp32 through `read`) to `file` in fp16, refusing values beyond fp16's range.
    func writeFloat16(_ file: String, tensors: [(name: String, shape: [Int])], sourcePath: String,
                      read: (String, [Int]) throws -> [Float]) throws {
        var out: [(name: String, shape: [Int], values: [Float])] = []
        for (name, shape) in tensors {
            let values = try read(name, shape)
            if let overflow = values.first(where: { abs($0) > Float(Float16.greatestFiniteMagnitude) }) {
                throw ModelError.corruptWeights(path: sourcePath,
                    reason: "tensor \(name) holds \(overflow), beyond fp16's range; this model cannot be stored as fp16")
            }
            out.append((name, shape, values))
        }
        let path = URL(fileURLWithPath: destination).appendingPathComponent(file)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensorsWriter.writeFloat16(out, to: path.path)
    }
}
