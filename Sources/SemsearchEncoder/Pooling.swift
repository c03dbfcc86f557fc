import SemsearchCore
import Foundation

/// How token states become one vector per text.
public enum Pooling: String, Sendable, Codable, CaseIterable {
    /// Mean over all tokens, special tokens (and a prompt) included (sentence-transformers' mean pooling).
    case mean
    /// The first token's state (`[CLS]`).
    case cls
}
