import SemsearchCore
import SemsearchEncoder

/// Maps byte offsets to 1-based line numbers.
struct LineTable {
    private var starts: [Int] = [0]

    init(_ bytes: [UInt8]) {
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    }

    func line(at offset: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }
}
