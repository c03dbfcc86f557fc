import SemsearchCore
import Foundation

/// How the tokenizer treats one scalar of the input before normalization.
enum ScalarClass {
    case ascii, whitespace, removed, cjk, other

    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        let v = scalar.value
        if v < 0x80 {
            switch v {
            case 0x09, 0x0A, 0x0D, 0x20: return .whitespace
            case 0x00..<0x20, 0x7F: return .removed
            default: return .ascii
            }
        }
        if v == 0xFFFD { return .removed }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return .removed
        default: break
        }
        if scalar.properties.isWhitespace { return .whitespace }
        if isCJK(v) { return .cjk }
        return .other
    }

    /// The CJK Unified Ideograph blocks BERT splits into single characters.
    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    /// ASCII symbols count as punctuation for BERT, as do all Unicode P* categories.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        if v < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
