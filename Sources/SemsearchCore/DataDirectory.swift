import Foundation

/// semsearch's folder for user data: `$XDG_DATA_HOME/semsearch`, else `~/.local/share/semsearch`.
public enum DataDirectory {
    public static var path: String {
        let env = ProcessInfo.processInfo.environment
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (data as NSString).appendingPathComponent("semsearch")
    }
}
