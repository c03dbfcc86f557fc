import SemsearchCore
import SemsearchEncoder

/// How a chunk's vector takes its document into account (docs/ARCHITECTURE.md §3).
public enum SituateMode: String, Sendable, Codable, CaseIterable {
    /// The chunk's text alone.
    case none
    /// The document title (given, or the file name when the text bears it out) and heading
    /// breadcrumb, prepended to the encoder input.
    case header
    /// The `header` context (title › section breadcrumb) is encoded before the chunk; only the
    /// chunk's own tokens are pooled.
    case late
    /// The chunk vector plus β × the document's mean vector, normalized.
    case mix

    /// The mode `semsearch index` uses unless told otherwise. Measured with
    /// `semsearch eval ../shared/datasets/squad-rhine` (MRR@10, all-MiniLM-L6-v2): header 0.812 /
    /// 0.763 / 0.708 at 64 / 128 / 256-token chunks against none 0.781 / 0.741 / 0.696 and late
    /// 0.814 / 0.757 / 0.703 — best or tied-best at every size.
    public static let defaultMode = SituateMode.header
}
