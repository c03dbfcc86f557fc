import Foundation
import SemsearchKit
import Synchronization

/// Runs the state machine's searches off the UI thread, in order: requests queue on one serial
/// queue, and a request that a newer one has superseded by the time it would start is skipped,
/// so fast typing coalesces into the latest query instead of a backlog. A compare run stops
/// between cells when superseded.
final class SearchWorker: Sendable {
    /// The searcher as of the index's latest commit: another process may re-index while the screen is open.
    private let live: LiveSearcher
    private let inbox: EventInbox
    private let queue = DispatchQueue(label: "semsearch.tui.search", qos: .userInitiated)
    private let previewQueue = DispatchQueue(label: "semsearch.tui.preview", qos: .userInitiated)
    private let newest = Atomic<Int>(0)
    private let clock: SessionClock

    /// Compare runs post what they have this often while cells are still loading (seconds).
    static let progressInterval = 0.05

    init(searcher: LiveSearcher, inbox: EventInbox, clock: SessionClock) {
        self.live = searcher
        self.inbox = inbox
        self.clock = clock
    }

    func submit(_ request: SearchRequest) {
        newest.store(max(newest.load(ordering: .relaxed), request.generation), ordering: .releasing)
        queue.async { [self] in
            guard !isSuperseded(request.generation) else { return }
            inbox.deliver(.answered(search(request)))
        }
    }

    func submit(_ request: CompareRequest) {
        newest.store(max(newest.load(ordering: .relaxed), request.generation), ordering: .releasing)
        queue.async { [self] in
            guard !isSuperseded(request.generation) else { return }
            compare(request)
        }
    }

    func submit(_ request: PreviewRequest) {
        previewQueue.async { [inbox] in inbox.deliver(.previewLoaded(PreviewLoader.load(request))) }
    }

    private func isSuperseded(_ generation: Int) -> Bool { newest.load(ordering: .acquiring) > generation }

    private func search(_ request: SearchRequest) -> SearchAnswer {
        var options = SearchOptions()
        options.k = request.k
        options.layer = request.layer
        options.dim = request.dim
        options.calibrated = request.calibrated
        let cell = MatryoshkaCell(layer: request.layer, dim: request.dim)
        do {
            let started = clock.now()
            let searcher = try live.current()
            let response = try searcher.search(request.query, options: options)
            var answer = SearchAnswer(generation: request.generation, query: request.query, cell: response.cell,
                                      calibrated: response.calibrated, results: response.results, method: response.method,
                                      milliseconds: clock.milliseconds(since: started))
            answer.watcherRunning = live.watcherRunning
            return answer
        } catch {
            return SearchAnswer(generation: request.generation, query: request.query, cell: cell, error: Self.message(error))
        }
    }

    private func compare(_ request: CompareRequest) {
        var grid = CompareGrid(generation: request.generation, query: request.query, reference: request.reference, complete: false)
        let started = clock.now()
        let embedding: LayerEmbeddings
        let searcher: Searcher
        do {
            searcher = try live.current()
            embedding = try searcher.embed(request.query)
        } catch {
            grid.error = Self.message(error)
            grid.complete = true
            inbox.deliver(.compared(grid))
            return
        }
        grid.embedMilliseconds = clock.milliseconds(since: started)
        // The reference first: every other cell is measured against it.
        var cells = [request.reference]
        for layer in request.layers { for dim in request.dims where MatryoshkaCell(layer: layer, dim: dim) != request.reference {
            cells.append(MatryoshkaCell(layer: layer, dim: dim))
        } }
        var lastPost = clock.now()
        for cell in cells {
            if isSuperseded(request.generation) { return }
            var options = SearchOptions()
            options.k = request.k
            options.layer = cell.layer
            options.dim = cell.dim
            options.method = .exact
            options.calibrated = request.calibrated
            // The grid compares what each cell's vectors find; BM25, the same in every cell, would blur it.
            options.hybrid = false
            do {
                let cellStarted = clock.now()
                let response = try searcher.search(embedding: embedding, query: request.query, options: options)
                grid.entries[cell] = CompareGrid.Entry(results: response.results, milliseconds: clock.milliseconds(since: cellStarted),
                                                       calibrated: response.calibrated)
            } catch {
                grid.error = "\(cell): " + Self.message(error)
                break
            }
            if clock.now() - lastPost > Self.progressInterval {
                inbox.deliver(.compared(grid))
                lastPost = clock.now()
            }
        }
        grid.complete = true
        inbox.deliver(.compared(grid))
    }

    /// An error as the one sentence the header shows.
    static func message(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
