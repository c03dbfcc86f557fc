import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// A question whose answer lies in a byte range of a file (the "spans" dataset format).
public struct SpanQuestion: Sendable, Decodable {
    public var question: String
    public var file: String
    public var byteStart: Int
    public var byteEnd: Int

    enum CodingKeys: String, CodingKey {
        case question, file
        case byteStart = "byte_start"
        case byteEnd = "byte_end"
    }
}
