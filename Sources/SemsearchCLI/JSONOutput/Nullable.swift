/// A value written as `null` when absent instead of being left out. A record field of type
/// `Nullable<T>` is always present; one of type `Nullable<T>?` is present only when set (the
/// `--explain` fields), and then `null` when its value is unknown.
struct Nullable<Value: Encodable>: Encodable {
    var value: Value?

    init(_ value: Value?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
