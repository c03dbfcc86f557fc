import Foundation
import SemsearchTUI
import SemsearchKit

/// Measures the TUI's keystroke-to-results latency on a real index: queries are typed into a
/// `TUISession` one key at a time at a typing pace, and each key is timed from the moment it is
/// handled until the rendered screen shows the answer to the query including that key. This is
/// the real path — reducer, search worker, inbox, renderer — less only the terminal write.
public enum KeystrokeBenchmark {
    public struct Result: Sendable {
        /// Key-to-screen milliseconds of every timed keystroke.
        public var keystrokes: [Double]
        /// Of those, the embedding plus ranking time the worker reported.
        public var searches: [Double]
        /// Milliseconds to render the screen once an answer is in.
        public var renders: [Double]
        /// The first keystroke of the session, which loads the cell's vectors.
        public var firstKeystroke: Double
        /// Key-to-complete-grid milliseconds in the compare view (every cell searched again).
        public var compareKeystrokes: [Double]
        /// The first compare keystroke, which loads every cell's vectors.
        public var firstCompareKeystroke: Double
        /// Keystrokes whose screen did not show their own answer in time (should be none).
        public var missed: Int
    }

    /// Types each of `queries` at one key per `pace` seconds; `compareQueries` of them are typed
    /// again with the compare view open.
    public static func run(session: TUISession, queries: [String], pace: Double, compareQueries: Int, timeout: Double = 10) -> Result {
        var result = Result(keystrokes: [], searches: [], renders: [], firstKeystroke: 0, compareKeystrokes: [],
                            firstCompareKeystroke: 0, missed: 0)
        session.handle(.resize(rows: 24, columns: 80))
        var first = true
        for query in queries {
            for character in query {
                let started = ResourceUsage.now()
                session.handle(.key(.character(character)))
                let generation = session.state.generation
                guard session.state.hasQuery else { continue }
                let shown = session.waitUntil(timeout: timeout) { ($0.answer?.generation ?? -1) >= generation }
                let renderStarted = ResourceUsage.now()
                let screen = session.render()
                let finished = ResourceUsage.now()
                let milliseconds = (finished - started) * 1000
                // The screen must show this very query's answer, not an older one.
                if !shown || session.state.answer?.query != session.state.query || !screen.line(1).contains("result") {
                    result.missed += 1
                } else if first {
                    result.firstKeystroke = milliseconds
                    first = false
                } else {
                    result.keystrokes.append(milliseconds)
                    result.searches.append(session.state.answer?.milliseconds ?? 0)
                    result.renders.append((finished - renderStarted) * 1000)
                }
                Thread.sleep(forTimeInterval: max(0, pace - (finished - started)))
            }
            clear(session)
        }
        session.handle(.key(.control("g")))
        for query in queries.prefix(compareQueries) {
            for character in query {
                let started = ResourceUsage.now()
                session.handle(.key(.character(character)))
                let generation = session.state.generation
                let complete = session.waitUntil(timeout: timeout * 6) { ($0.grid?.generation ?? -1) >= generation && $0.grid?.complete == true }
                _ = session.render()
                let finished = ResourceUsage.now()
                if !complete {
                    result.missed += 1
                } else if result.firstCompareKeystroke == 0 {
                    result.firstCompareKeystroke = (finished - started) * 1000
                } else {
                    result.compareKeystrokes.append((finished - started) * 1000)
                }
                Thread.sleep(forTimeInterval: max(0, pace - (finished - started)))
            }
            clear(session)
        }
        session.handle(.key(.control("g")))
        return result
    }

    /// Empties the query line and lets any answer still on its way arrive.
    private static func clear(_ session: TUISession) {
        session.handle(.key(.control("u")))
        session.waitForInbox(timeout: 0.2)
        session.drainInbox()
    }
}
