import ArgumentParser
import SemsearchKit

extension ModelPrompts.Kind: ExpressibleByArgument {}
