import Foundation

/// Reads standard input line by line as UTF-8, without loading it all at once.
enum StdinLines {
    /// Calls `body` with each line (without its `\n` or `\r\n`) and its 1-based number. A line that
    /// is not valid UTF-8 stops the stream with an error naming the line.
    static func forEach(_ body: (String, Int) throws -> Void) throws {
        var pending = [UInt8]()
        var number = 0
        func deliver(_ bytes: ArraySlice<UInt8>) throws {
            number += 1
            var bytes = bytes
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            guard let line = String(validating: bytes, as: UTF8.self) else {
                throw CommandError.input("stdin line \(number) is not valid UTF-8")
            }
            try body(line, number)
        }
        let input = FileHandle.standardInput
        while true {
            let chunk = input.readData(ofLength: 1 << 16)
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try deliver(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { try deliver(pending[...]) }
    }
}
