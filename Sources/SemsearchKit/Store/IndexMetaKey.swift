import Foundation

/// A value an index remembers besides its rows, with its type and its name in storage. Every key
/// is one of the static members below: call sites name a key (`store.meta(.vectorFormat)`), never a
/// string, and each value is written and read one way.
public struct IndexMetaKey<Value>: Sendable {
    /// The key's name in storage (the `meta` table's `key`).
    public let name: String
    let encode: @Sendable (Value) -> String
    let decode: @Sendable (String) -> Value?

    init(_ name: String, encode: @escaping @Sendable (Value) -> String, decode: @escaping @Sendable (String) -> Value?) {
        self.name = name
        self.encode = encode
        self.decode = decode
    }
}

extension IndexMetaKey where Value == VectorFormat {
    /// The format the index keeps its vectors in (`index --vectors`).
    public static var vectorFormat: Self { Self("vector_format", encode: \.rawValue, decode: VectorFormat.init(rawValue:)) }
}

extension IndexMetaKey where Value == IVFSetting {
    /// An explicit `--ivf`, remembered for later runs.
    public static var ivfSetting: Self { Self("ivf_setting", encode: \.description, decode: IVFSetting.init) }
}

extension IndexMetaKey where Value == Date {
    /// When the last index run had written its files, before its end-of-run steps (seconds since
    /// 1970): what MCP result cursors and `status` date the index by.
    public static var lastRun: Self {
        Self("last_run", encode: { String($0.timeIntervalSince1970) }, decode: { Double($0).map(Date.init(timeIntervalSince1970:)) })
    }
}

extension IndexMetaKey where Value == Bool {
    /// Whether calibration rotates onto principal axes (`calibrate --pca`), remembered
    /// so refits keep it.
    public static var calibrationRotates: Self { Self("calibration_pca", encode: { $0 ? "1" : "0" }, decode: { $0 == "1" }) }
    /// A rewrite of vectors left free pages that a vacuum should give back (survives a kill).
    static var vacuumPending: Self { Self("vacuum_pending", encode: { _ in "1" }, decode: { _ in true }) }
}

extension IndexMetaKey where Value == Int {
    /// Running totals of the tokenizer's coverage (``VocabularyCoverage``).
    static var coverageTokens: Self { Self("coverage_tokens", encode: String.init, decode: { Int($0) }) }
    static var coveragePoorlyRead: Self { Self("coverage_poorly_read", encode: String.init, decode: { Int($0) }) }
}

extension IndexMetaKey where Value == IVFState {
    /// The database server's own IVF index of the default cell (PostgreSQL's IVFFlat), as built.
    static var serverIVF: Self {
        Self("server_ivf", encode: { (try? JSONEncoder().encode($0)).map { String(decoding: $0, as: UTF8.self) } ?? "" },
             decode: { try? JSONDecoder().decode(IVFState.self, from: Data($0.utf8)) })
    }
}

extension IndexMetaKey where Value == String {
    /// The settings (``IndexSettings`` as JSON) and the IVF state (``IVFState`` as JSON), read and
    /// written by the store itself.
    static var settings: Self { Self("settings", encode: { $0 }, decode: { $0 }) }
    static var ivf: Self { Self("ivf", encode: { $0 }, decode: { $0 }) }
}
