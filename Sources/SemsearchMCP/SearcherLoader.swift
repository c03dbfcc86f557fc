import Foundation
import SemsearchKit

/// Opens the searcher (model and index) once, in the background, so the server answers the
/// handshake at once and the first search waits only for what is left of the load. A failure
/// (no index yet, model not installed) is reported by the search that waited for it, and the next
/// search tries again, so an index built later is found without a restart.
final class SearcherLoader: @unchecked Sendable {
    // Unchecked: `state` is read and written only with `condition` locked.
    private let databasePath: String
    private let model: String?
    private let condition = NSCondition()
    private var state = State.idle

    private enum State {
        case idle, loading
        case ready(LiveSearcher)
        case failed(String)
    }

    init(databasePath: String, model: String?) {
        self.databasePath = databasePath
        self.model = model
    }

    /// Starts loading unless a load is under way or done.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        startLocked()
    }

    private func startLocked() {
        guard case .idle = state else { return }
        state = .loading
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result: State
            do {
                result = .ready(try LiveSearcher(Searcher.open(database: databasePath, model: model)))
            } catch {
                result = .failed((error as? LocalizedError)?.errorDescription ?? String(describing: error))
            }
            condition.lock()
            state = result
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The searcher as of the index's latest commit, waiting for the load if it is under way.
    func searcher() throws(ToolError) -> Searcher {
        condition.lock()
        startLocked()
        while case .loading = state { condition.wait() }
        let current = state
        if case .failed = current { state = .idle }
        condition.unlock()
        switch current {
        case .ready(let live): return try SearchTool.run { try live.current() }
        case .failed(let message): throw ToolError(message)
        case .idle, .loading: preconditionFailure("the load ended in no state")
        }
    }
}
