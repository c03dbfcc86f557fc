import SemsearchCore
import SemsearchEncoder
import Foundation

/// The smallest pieces a chunk is made of: a heading line, a sentence of prose, or a line of code,
/// each with its byte range and what boundary precedes it.
struct DocumentUnit: Equatable {
    var range: Range<Int>
    /// First unit of a paragraph or block (a blank line or a heading precedes it).
    var startsBlock: Bool
    /// A heading: a new section starts here.
    var startsSection: Bool
    /// Breadcrumb of the enclosing headings, e.g. `# A › ## B`.
    var heading: String
    /// Content tokens under the model's tokenizer, filled in by the chunker.
    var tokens: Int = 0
}
