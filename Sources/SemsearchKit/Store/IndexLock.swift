import SemsearchCore
import SemsearchEncoder
import Foundation

/// An exclusive, advisory lock on an index (`flock` on a file beside the database) for the length
/// of an indexing run, or of a watcher's life. A second `semsearch index` on the same database
/// fails at once with a clear message instead of interleaving writes, and readers can tell that a
/// run or a watcher is going on. The kernel releases it if the process dies, even by `kill -9`.
public final class IndexLock {
    /// What the lock stands for; each has its own lock file.
    public enum Purpose: Sendable {
        /// An indexing run writes the index (`<db>.lock`).
        case indexing
        /// `semsearch index --watch` keeps the index current (`<db>.watch.lock`).
        case watching

        func lockPath(_ databasePath: String) -> String {
            switch self {
            case .indexing: return databasePath + ".lock"
            case .watching: return databasePath + ".watch.lock"
            }
        }
    }

    private let descriptor: Int32

    /// Takes the lock for `purpose`, or throws ``StoreError/locked(path:holder:)`` naming the
    /// process that holds it.
    public init(databasePath: String, purpose: Purpose = .indexing) throws {
        let lockPath = purpose.lockPath(databasePath)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.failure(path: lockPath, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let pid = Self.recordedProcess(fd)
            close(fd)
            throw StoreError.locked(path: databasePath, holder: "pid \(pid.map(String.init) ?? "?")")
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

    /// The process holding the lock for `purpose` on `databasePath`, or nil when none does.
    public static func holder(databasePath: String, purpose: Purpose) -> Int32? {
        let fd = open(purpose.lockPath(databasePath), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return recordedProcess(fd) ?? 0
    }

    /// The pid the holder wrote into the lock file.
    private static func recordedProcess(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, 31, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
