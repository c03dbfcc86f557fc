import Foundation

/// Tells when anything under a set of folders changes, through Linux inotify: one watch per
/// directory (inotify is not recursive), added again for folders created or moved in, and for the
/// roots themselves when they are deleted or moved away. Editors' save-by-rename shows as a move
/// into the folder; hidden names (swap and lock files, but not `.gitignore` and `.semsearchignore`)
/// and the index's own files are ignored.
///
/// When the kernel's limit on watches is reached, ``coverage`` says so and the caller falls back
/// to scanning on a timer (see ``IndexWatcher``).
public final class FolderWatcher {
    /// Whether every folder is watched.
    public enum Coverage: Equatable, Sendable {
        case complete
        /// The per-user watch limit was reached after `watched` folders.
        case limitReached(watched: Int)
    }

    /// The sysctl that sets the per-user limit on inotify watches.
    public static let limitSetting = "fs.inotify.max_user_watches"

    private let descriptor: Int32
    private let roots: [String]
    private let ignoredPaths: Set<String>
    private let watchLimit: Int
    private var folders: [Int32: String] = [:]
    public private(set) var coverage = Coverage.complete

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

    /// Watches every folder under `roots`; changes to `ignoredPaths` (the index database and its
    /// companions) are not reported. `watchLimit` caps the watches below the kernel's limit.
    public init(roots: [String], ignoredPaths: Set<String> = [], watchLimit: Int = .max) throws {
        self.watchLimit = watchLimit
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: "inotify", reason: String(cString: strerror(errno)))
        }
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.ignoredPaths = ignoredPaths
        addFolders()
    }

    deinit { close(descriptor) }

    /// How many folders are watched.
    public var watchedFolders: Int { folders.count }

    /// Adds watches for folders not yet watched (after a run, for folders created meanwhile).
    public func addFolders() {
        let known = Set(folders.values)
        for root in roots { addTree(root, known: known) }
    }

    /// Waits up to `timeout` seconds for changes and returns the paths that changed (empty when
    /// none did in time). A path is reported once per call however many events it had.
    public func changes(timeout: Double) -> Set<String> {
        var target = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&target, 1, Int32(max(0, timeout) * 1000))
        guard ready > 0 else { return [] }
        var changed = Set<String>()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (event, name) = buffer.withUnsafeBytes { raw -> (inotify_event, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<(start + Int(event.len))].prefix { $0 != 0 }
                    return (event, String(decoding: bytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
                if let path = handle(event, name: name) { changed.insert(path) }
            }
        }
        return changed
    }

    /// The changed path an event stands for, if it is one to report; keeps the watch table right.
    private func handle(_ event: inotify_event, name: String) -> String? {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return roots.first }
        if mask & UInt32(IN_IGNORED) != 0 { folders[event.wd] = nil; return nil }
        guard let folder = folders[event.wd] else { return nil }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            // A folder (maybe a root) went away; its parent's event reports it unless it is a root.
            inotify_rm_watch(descriptor, event.wd)
            folders[event.wd] = nil
            return roots.contains(folder) ? folder : nil
        }
        guard !name.isEmpty, !name.hasPrefix(".") || name == ".gitignore" || name == ".semsearchignore" else { return nil }
        let path = (folder as NSString).appendingPathComponent(name)
        guard !ignoredPaths.contains(path) else { return nil }
        if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            addTree(path, known: Set(folders.values))
        }
        return path
    }

    private func addTree(_ path: String, known: Set<String>) {
        guard case .complete = coverage else { return }
        if !known.contains(path) {
            guard folders.count < watchLimit else { coverage = .limitReached(watched: folders.count); return }
            let wd = inotify_add_watch(descriptor, path, Self.mask)
            if wd < 0 {
                if errno == ENOSPC { coverage = .limitReached(watched: folders.count) }
                return
            }
            folders[wd] = path
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for entry in entries where !entry.hasPrefix(".") {
            let child = (path as NSString).appendingPathComponent(entry)
            var info = stat()
            // lstat: links to folders are not followed, so a link loop cannot trap the walk.
            if lstat(child, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { addTree(child, known: known) }
        }
    }
}
