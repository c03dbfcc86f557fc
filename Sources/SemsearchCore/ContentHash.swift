import Foundation

/// A fast 64-bit content hash (FNV-1a) for change detection — not for security.
public struct ContentHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func update<C: Sequence<UInt8>>(_ bytes: C) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { raw in update(raw.bindMemory(to: UInt8.self)) }
    }

    /// Sixteen hex digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of `data` in hex.
    public static func of(_ data: Data) -> String {
        var hash = ContentHash()
        hash.update(data)
        return hash.hex
    }
}
