import SemsearchCore
import Foundation

/// Writes a safetensors file with fp16 data, in the layout Hugging Face tools read.
public enum SafeTensorsWriter {
    /// Writes `tensors` (name → shape and values) as fp16 to `path`, atomically.
    public static func writeFloat16(_ tensors: [(name: String, shape: [Int], values: [Float])], to path: String) throws {
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        var offset = 0
        let ordered = tensors.sorted { $0.name < $1.name }
        for tensor in ordered {
            let bytes = tensor.values.count * 2
            header[tensor.name] = ["dtype": "F16", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while headerData.count % 8 != 0 { headerData.append(0x20) }
        var file = Data(capacity: 8 + headerData.count + offset)
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerData)
        for tensor in ordered {
            var half = [UInt16](repeating: 0, count: tensor.values.count)
            for (i, value) in tensor.values.enumerated() { half[i] = Float16(value).bitPattern.littleEndian }
            half.withUnsafeBytes { file.append(contentsOf: $0) }
        }
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError.unreadable(path: path, reason: "could not write: \(error.localizedDescription)")
        }
    }
}
