import SemsearchCore
import SemsearchEncoder
import Foundation

/// Why a search could not run. Messages are written for the person at the terminal.
public enum SearchError: Error, Equatable, LocalizedError, CustomStringConvertible {
    case emptyQuery
    case queryTooLong(bytes: Int, limit: Int)
    case layerNotStored(layer: Int, stored: [Int])
    case layerNotEncoded(layer: Int, encoded: Int)
    case noIVFIndex
    case ivfMismatch(requested: MatryoshkaCell, indexed: MatryoshkaCell)
    case invalidFunnel(String)
    case modelNotInstalled(String)

    public var description: String {
        switch self {
        case .emptyQuery:
            return "the query is empty: give some words to search for"
        case .queryTooLong(let bytes, let limit):
            return "the query is \(bytes) bytes; the limit is \(limit) (the model reads only its first few hundred tokens)"
        case .layerNotStored(let layer, let stored):
            return "layer \(layer) is not stored in this index (it has layers \(stored.map(String.init).joined(separator: ","))); re-index with --layers all to search it"
        case .layerNotEncoded(let layer, let encoded):
            return "layer \(layer) was never computed: this index ran only the first \(encoded) layers (--encode-layers \(encoded)); search layers 1…\(encoded), which are calibrated to the final embedding"
        case .noIVFIndex:
            return "this index has no IVF index, so --nprobe does not apply; use --exact, or build one with 'semsearch index --ivf N DIR'"
        case .ivfMismatch(let requested, let indexed):
            return "the IVF index covers \(indexed), not \(requested); use --exact for other layers and dims"
        case .invalidFunnel(let reason):
            return "--funnel: \(reason)"
        case .modelNotInstalled(let name):
            return "the index was built with model \(name), which is not installed here; pass --model DIR"
        }
    }

    public var errorDescription: String? { description }
}
