import SemsearchCore
import SemsearchEncoder
import Foundation

/// An exclusive, advisory lock on an index for the length of an indexing run (`flock` on
/// `<db>.lock`), so a second `semsearch index` on the same database fails at once with a clear
/// message instead of interleaving writes. The kernel releases it if the process dies.
public final class IndexLock {
    private let descriptor: Int32

    public init(databasePath: String) throws {
        let lockPath = databasePath + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw StoreError.failure(path: lockPath, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, 31, 0)
            close(fd)
            let pid = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw StoreError.locked(path: databasePath, holder: "pid \(pid)")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
