import Foundation

/// Process resource figures: peak memory for benchmarks, and the monotonic clock runs and searches
/// are timed by.
public enum ResourceUsage {
    /// Peak resident set size of this process so far, in bytes.
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)  // bytes on macOS
        #endif
    }

    /// Monotonic time in seconds, for measuring intervals.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
