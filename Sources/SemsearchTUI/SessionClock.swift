import SemsearchKit

/// Where a ``TUISession`` reads the time: the latency it shows for each answer and compare cell,
/// and how often a compare run posts partial grids. Tests inject a clock they control, so timing
/// behaviour is checked exactly instead of by sleeping.
public struct SessionClock: Sendable {
    /// Seconds on a monotonic scale; only differences matter.
    public let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// The machine's monotonic clock.
    public static let system = SessionClock { ResourceUsage.now() }

    /// Milliseconds since `start`, a reading of this clock.
    func milliseconds(since start: Double) -> Double { (now() - start) * 1000 }
}
