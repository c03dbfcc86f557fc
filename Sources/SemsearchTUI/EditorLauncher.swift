import Foundation

/// Opens a file at a line in the user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, run through
/// the shell (so `EDITOR="code -w"` works) as `EDITOR +LINE PATH`, on the terminal itself.
public enum EditorLauncher {
    /// The editor command line in effect.
    public static var editor: String {
        let environment = ProcessInfo.processInfo.environment
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.allSatisfy(\.isWhitespace) { return value }
        }
        return "vi"
    }

    /// Runs the editor and waits for it; returns a message when it could not be run or failed.
    public static func open(path: String, line: Int) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The path and line are positional parameters, never spliced into the command text.
        process.arguments = ["-c", "\(editor) \"+$1\" \"$2\"", "semsearch-editor", String(line), path]
        if let tty = FileHandle(forUpdatingAtPath: "/dev/tty") {
            process.standardInput = tty
            process.standardOutput = tty
            process.standardError = tty
        }
        do { try process.run() } catch { return "could not run the editor '\(editor)': \(error.localizedDescription)" }
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return nil
        case 127: return "editor '\(editor)' not found; set VISUAL or EDITOR"
        case let status: return "editor '\(editor)' exited with status \(status)"
        }
    }
}
