import ArgumentParser

/// A whole number of at least 1 (layers, dims, list counts).
struct PositiveInt: ExpressibleByArgument, Hashable, Comparable {
    var value: Int

    init?(argument: String) {
        guard let value = Int(argument), value >= 1 else { return nil }
        self.value = value
    }

    static func < (a: PositiveInt, b: PositiveInt) -> Bool { a.value < b.value }
}
