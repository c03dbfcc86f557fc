import Foundation

/// What `stat`/`lstat` says about a path.
public struct FileInfo: Sendable {
    public var isDirectory: Bool
    public var isRegular: Bool
    public var isSymlink: Bool
    public var size: Int
    public var modificationTime: Double
    public var identity: FileIdentity

    public init?(path: String, followLinks: Bool) {
        var st = stat()
        let status = followLinks ? stat(path, &st) : lstat(path, &st)
        guard status == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        isDirectory = type == S_IFDIR
        isRegular = type == S_IFREG
        isSymlink = type == S_IFLNK
        size = Int(st.st_size)
        #if os(Linux)
        modificationTime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #else
        modificationTime = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #endif
        identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}
