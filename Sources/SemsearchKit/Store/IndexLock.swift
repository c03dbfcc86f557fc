import SemsearchCore
import SemsearchEncoder
import Foundation

/// An exclusive, advisory lock on an index for the length of an indexing run, or of a watcher's
/// life. A second `semsearch index` on the same index fails at once with a clear message instead of
/// interleaving writes, and readers can tell that a run or a watcher is going on. The lock goes
/// when the value does, and also when the process dies, even by `kill -9`: for a SQLite index it is
/// `flock` on a file beside the database (released by the kernel), for PostgreSQL a session
/// advisory lock (released by the server when the connection drops).
public final class IndexLock {
    /// What the lock stands for.
    public enum Purpose: Sendable, Equatable {
        /// A run writes the whole index (removing roots, converting formats, calibrating); for
        /// SQLite `<db>.lock`, for PostgreSQL the index's lock, exclusive.
        case indexing
        /// An indexing run writes files under these roots: for SQLite the same `<db>.lock` (one
        /// writer a file), for PostgreSQL one lock a root and the index's lock shared, so indexers
        /// of different roots run at once.
        case indexingRoots([String])
        /// `semsearch index --watch` keeps the index current (`<db>.watch.lock`).
        case watching

        func lockPath(_ databasePath: String) -> String {
            switch self {
            case .indexing, .indexingRoots: return databasePath + ".lock"
            case .watching: return databasePath + ".watch.lock"
            }
        }
    }

    private let release: () -> Void

    /// A lock held until `release` runs (when the value goes).
    init(releasing release: @escaping () -> Void) {
        self.release = release
    }

    /// Takes the `flock` lock file beside `databasePath` for `purpose`, or throws
    /// ``StoreError/locked(path:holder:)`` naming the process that holds it.
    public convenience init(databasePath: String, purpose: Purpose = .indexing) throws {
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
        self.init {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    deinit { release() }

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
