import ArgumentParser

/// A size like `500K`, `10M`, `1G` or plain bytes.
struct ByteSize: ExpressibleByArgument {
    var bytes: Int
    /// As written, for the help's default.
    var defaultValueDescription: String

    init?(argument: String) {
        defaultValueDescription = argument
        let upper = argument.uppercased().trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let value = Double(upper.dropLast()), value > 0 else { return nil }
            bytes = Int(value * Double(factor))
            return
        }
        guard let value = Int(upper), value > 0 else { return nil }
        bytes = value
    }
}
