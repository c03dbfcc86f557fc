import ArgumentParser

/// A comma-separated list option — `1,3,6`, `none,header`, `1000000,384` — or `all` where the
/// option allows it: the one list parser every command uses. Duplicates are dropped and the order
/// given is kept (`numbers(all:)` returns them sorted).
struct ListArgument<Element: ExpressibleByArgument & Hashable>: ExpressibleByArgument {
    /// The values given; nil for `all`.
    var values: [Element]?

    init?(argument: String) {
        if argument == "all" { values = nil; return }
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var parsed: [Element] = []
        for part in parts {
            guard let value = Element(argument: part) else { return nil }
            if !parsed.contains(value) { parsed.append(value) }
        }
        guard !parsed.isEmpty else { return nil }
        values = parsed
    }

    /// The values, or `all` when the option said so.
    func resolved(all: [Element]) -> [Element] { values ?? all }
}

extension ListArgument where Element == PositiveInt {
    /// The numbers, sorted, or `all`.
    func numbers(all: [Int]) -> [Int] { values.map { $0.map(\.value).sorted() } ?? all }
}
