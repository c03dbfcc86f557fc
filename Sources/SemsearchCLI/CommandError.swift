import Foundation

/// Errors of the command line itself (bad combinations of arguments, missing input).
enum CommandError: Error, LocalizedError, CustomStringConvertible {
    case usage(String)
    case input(String)

    var description: String {
        switch self {
        case .usage(let message), .input(let message): return message
        }
    }

    var errorDescription: String? { description }
}
