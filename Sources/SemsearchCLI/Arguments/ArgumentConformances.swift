import ArgumentParser
import SemsearchKit

// Library value types read straight from the command line: the parser reports a bad value with
// the option's name and the accepted values, and the commands get typed values, not strings.

extension ModelPrompts.Kind: ExpressibleByArgument {}

extension SituateMode: ExpressibleByArgument {}

extension VectorFormat: ExpressibleByArgument {}

extension EncoderPrecision: ExpressibleByArgument {}

extension IVFSetting: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var defaultCompletionKind: CompletionKind { .list(["auto", "off"]) }
}

extension MatryoshkaCell: ExpressibleByArgument {
    /// `LAYER:DIM`, like `2:64`.
    public init?(argument: String) { self.init(argument) }
}

extension KeywordWeight: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
