import SemsearchCore
import SemsearchEncoder
import Foundation

/// Identity of a file-system object: device and inode.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
}
