import Foundation

/// The interactive loop: waits for a key or a background answer, feeds it to the session, runs
/// the terminal's effects, and redraws when the state changed.
public enum TerminalApp {
    /// How the session ended.
    public enum Outcome: Equatable, Sendable {
        case quit
        /// Picker mode: the chosen `path:line`.
        case selected(String)
    }

    /// Runs of printable characters read together (a paste, or keys typed faster than a frame)
    /// become one `.text` key: one edit and one search instead of one per character.
    public static func coalescingTypedText(_ events: [TUIEvent]) -> [TUIEvent] {
        var out: [TUIEvent] = []
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            out.append(.key(run.count == 1 ? .character(run.first!) : .text(run)))
            run = ""
        }
        for event in events {
            if case .key(.character(let character)) = event, character != "?" || !run.isEmpty {
                run.append(character)
            } else {
                flush()
                out.append(event)
            }
        }
        flush()
        return out
    }

    /// Runs until the user quits; the terminal is restored before this returns.
    public static func run(session: TUISession, colors: Bool) throws -> Outcome {
        let screen = try TerminalScreen(colors: colors)
        defer { screen.end() }
        let size = screen.size
        session.handle(.resize(rows: size.rows, columns: size.columns))
        screen.draw(session.render())
        var descriptors = [pollfd(fd: screen.inputDescriptor, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: session.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        while true {
            // A resize signal may land on another thread and not interrupt poll, so wake now and then.
            _ = poll(&descriptors, nfds_t(descriptors.count), 100)
            var effects: [TUIEffect] = []
            var changed = false
            for event in Self.coalescingTypedText(screen.drainEvents()) {
                effects += session.handle(event)
                changed = true
            }
            let answers = session.drainInbox()
            effects += answers.effects
            changed = changed || answers.changed
            for effect in effects {
                switch effect {
                case .quit: return .quit
                case .printSelection(let selection): return .selected(selection)
                case .openEditor(let path, let line):
                    screen.suspend()
                    let failure = EditorLauncher.open(path: path, line: line)
                    screen.resume()
                    let size = screen.size
                    session.handle(.resize(rows: size.rows, columns: size.columns))
                    if let failure { session.showNotice(failure) }
                    changed = true
                default: break
                }
            }
            if changed { screen.draw(session.render()) }
        }
    }
}
