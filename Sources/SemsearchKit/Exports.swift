// SemsearchKit is the library the TUI, the commands and the tests import: it brings the core
// types and the encoder with it.
@_exported import SemsearchCore
@_exported import SemsearchEncoder
