import Foundation
import Testing

/// The interactive screen in a real terminal: tmux runs `semsearch` on a small index, the test
/// types into it and reads the pane back. Also: with a pipe on stdin, plain `semsearch` answers
/// queries instead of opening the screen.
@Suite(.serialized) struct TUICommandTests {
    typealias CLI = CommandLineRunner
    typealias Fixture = SearchCommandTests.Fixture

    /// A private tmux server for one test.
    struct Tmux {
        let socket = "semsearch-test-\(UUID().uuidString.prefix(8))"
        static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

        /// Runs a tmux command and returns what it printed. Spawned directly with every other
        /// descriptor closed: the first command starts the tmux server, which lives on and would
        /// otherwise hold whatever it inherited (Foundation's Process waits on such a descriptor).
        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: outputPath) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
            for descriptor in open where descriptor > 2 && fcntl(descriptor, F_GETFD) >= 0 {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
            // Test threads block most signals, and a child inherits the mask: tmux needs SIGCHLD
            // and SIGTERM (kill-server), so start it with none blocked and default handlers.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t(), allSignals = sigset_t()
            sigemptyset(&noSignals)
            sigfillset(&allSignals)
            sigdelset(&allSignals, SIGKILL)
            sigdelset(&allSignals, SIGSTOP)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setsigdefault(&attributes, &allSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = [Tmux.executable!, "-L", socket, "-f", "/dev/null"] + arguments
            var cArguments = argv.map { strdup($0) } + [nil]
            defer { cArguments.forEach { free($0) } }
            var pid: pid_t = 0
            let status = posix_spawn(&pid, Tmux.executable!, &actions, &attributes, &cArguments, environ)
            guard status == 0 else { throw TmuxError.spawn(status) }
            var exitStatus: Int32 = 0
            while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }

        enum TmuxError: Error { case spawn(Int32) }

        func capture() throws -> String { try run(["capture-pane", "-p", "-t", "ui"]) }

        /// Polls the pane until it contains `text` (or `timeout` seconds pass); returns the pane.
        func waitFor(_ text: String, timeout: TimeInterval = 30) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var pane = try capture()
            while !pane.contains(text) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                pane = try capture()
            }
            return pane
        }

        func kill() { _ = try? run(["kill-server"]) }
    }

    @Test(.enabled(if: Tmux.executable != nil, "tmux is not installed (.ci/run installs it)"))
    func theScreenSearchesAsYouTypeComparesCellsAndQuitsCleanly() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let tmux = Tmux()
        defer { tmux.kill() }
        let state = f.dir.appendingPathComponent("state").path
        // Start from a shell prompt, so the pane after quitting shows what the screen left behind.
        try tmux.run(["new-session", "-d", "-s", "ui", "-x", "100", "-y", "30", "/bin/sh"])
        let command = "cd '\(f.docs.path)' && XDG_STATE_HOME='\(state)' TERM=xterm-256color '\(CLI.executable.path)' --db '\(f.db)'; echo \"exit-status-$?\""
        try tmux.run(["send-keys", "-t", "ui", "-l", command])
        try tmux.run(["send-keys", "-t", "ui", "Enter"])
        var pane = try tmux.waitFor("type to search")
        #expect(pane.contains("❯ ") && pane.contains("type to search 5 chunks in 5 files"), "\(pane)")

        try tmux.run(["send-keys", "-t", "ui", "-l", "which river flows to the north sea"])
        _ = try tmux.waitFor("rivers.md:5")
        // The preview is read on its own queue and may land a frame later, on a busy machine.
        pane = try tmux.waitFor("The Rhine flows from the Swiss Alps")
        let lines = pane.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.indices.contains(2) && lines[2].contains("1 ") && lines[2].contains("rivers.md:5"), "\(pane)")
        #expect(pane.contains("The Rhine flows from the Swiss Alps"))
        #expect(pane.contains("L6/6") && pane.contains("d384/384"))

        // Shift-Up steps the layer; the status line follows.
        try tmux.run(["send-keys", "-t", "ui", "S-Up"])
        pane = try tmux.waitFor("at L5/d384")
        #expect(pane.contains("L5/6") && pane.contains("at L5/d384"), "\(pane)")

        try tmux.run(["send-keys", "-t", "ui", "C-g"])
        pane = try tmux.waitFor("5/5")
        #expect(pane.contains("overlap@10 with L6/d384") && pane.contains("d32") && pane.contains("d384"), "\(pane)")
        #expect(pane.split(separator: "\n").contains { $0.hasPrefix("L6 ") && $0.contains("5/5") }, "\(pane)")
        #expect(pane.contains("L6/d384 (full model)"))

        try tmux.run(["send-keys", "-t", "ui", "Escape"])
        pane = try tmux.waitFor("exit-status-")
        #expect(pane.contains("exit-status-0"), "\(pane)")
        // The screen is gone: what the TUI drew is no longer on the pane.
        #expect(!pane.contains("overlap@10") && !pane.contains("❯ which river"), "\(pane)")
        // The query went into the history file.
        let history = try String(contentsOfFile: state + "/semsearch/history", encoding: .utf8)
        #expect(history.contains("which river flows to the north sea"))
    }

    @Test func withAPipeOnStdinPlainSemsearchAnswersEachLine() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let result = try CLI.run(["--db", f.db], stdin: Data("where does the Rhine flow?\nbaking bread\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        // Grep-style lines, ten results per query at most (five chunks here), in query order.
        let lines = result.stdoutLines
        #expect(lines.count == 10 && lines[0].contains("rivers.md:") && lines[5].contains("bread.md:"), "\(result.stdout)")
    }
}
