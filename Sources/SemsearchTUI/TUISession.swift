import Foundation
import SemsearchKit

/// The TUI without a terminal: the state, the reducer, and the background work its effects ask
/// for (searches, compare runs, previews). The terminal app feeds it keys and draws its state;
/// `semsearch bench tui` and the tests drive it the same way, so they measure and check the real
/// path from a key to the rendered screen.
///
/// Use from one thread (the UI thread); background answers arrive through ``drainInbox()``.
public final class TUISession {
    public private(set) var state: TUIState
    private let inbox = EventInbox()
    private let worker: SearchWorker

    /// A session over `searcher`, starting from `state`. Searches follow the index as other
    /// processes re-index it. `clock` times answers and paces compare progress; tests pass one they
    /// control.
    public init(searcher: Searcher, state: TUIState, clock: SessionClock = .system) throws {
        self.state = state
        worker = SearchWorker(searcher: try LiveSearcher(searcher), inbox: inbox, clock: clock)
    }

    /// File descriptor that becomes readable when a background answer is waiting.
    public var wakeDescriptor: Int32 { inbox.readDescriptor }

    /// Applies `event`, starts the background work it asks for, and returns the effects left for
    /// the terminal (open an editor, print the selection, quit).
    @discardableResult
    public func handle(_ event: TUIEvent) -> [TUIEffect] {
        let effects = state.apply(event)
        var remaining: [TUIEffect] = []
        for effect in effects {
            switch effect {
            case .search(let request): worker.submit(request)
            case .compare(let request): worker.submit(request)
            case .loadPreview(let request): worker.submit(request)
            case .openEditor, .printSelection, .quit: remaining.append(effect)
            }
        }
        return remaining
    }

    /// Applies every background answer that has arrived; returns whether there was any, and the
    /// terminal effects they led to.
    @discardableResult
    public func drainInbox() -> (changed: Bool, effects: [TUIEffect]) {
        let events = inbox.take()
        return (!events.isEmpty, events.flatMap { handle($0) })
    }

    /// Sleeps until a background answer arrives or `timeout` seconds pass.
    @discardableResult
    public func waitForInbox(timeout: Double) -> Bool { inbox.wait(timeout: timeout) }

    /// Drains answers until `condition` holds or `timeout` seconds pass; returns whether it holds.
    @discardableResult
    public func waitUntil(timeout: Double, _ condition: (TUIState) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(state) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            waitForInbox(timeout: left)
            drainInbox()
        }
        return true
    }

    /// Shows a one-off message on the status line (an editor that failed).
    public func showNotice(_ text: String) { state.notice = text }

    /// The screen for the current state.
    public func render() -> ScreenBuffer { TUIRenderer.render(state) }
}
