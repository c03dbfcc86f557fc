import Foundation
import SemsearchKit

/// Opens a file at a line in the user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, run through
/// the shell (so `EDITOR="code -w"` works) as `EDITOR +LINE PATH`, on the terminal itself. A
/// document a text editor cannot show, and whose lines are those of its extracted text (Office,
/// OpenDocument, EPUB, RTF, e-mail, PDF), opens with the desktop's opener, `xdg-open PATH`.
public enum EditorLauncher {
    /// Whether `path` opens with the desktop's opener rather than the editor.
    public static func opensWithDesktop(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return DocumentFormat.of(fileName: name) != nil || name.lowercased().hasSuffix(".pdf")
    }

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
        if opensWithDesktop(path) { return openWithDesktop(path) }
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

    /// `xdg-open PATH`, waited for (it returns once the application is started); its output
    /// goes nowhere, so the screen stays clean.
    static func openWithDesktop(_ path: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "could not run xdg-open: \(error.localizedDescription)" }
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return nil
        case 127: return "xdg-open is not installed: open \((path as NSString).lastPathComponent) with your own application"
        case let status: return "xdg-open exited with status \(status) for \((path as NSString).lastPathComponent)"
        }
    }
}
