import CLibPQ
import Foundation

/// The rows of one statement (a libpq `PGresult`, freed with the value). Columns are read as text,
/// or, for a statement run with binary results, as their binary send format: integers and floats
/// big-endian, `bytea` as its bytes — what the vector loads read without a copy.
final class PostgresResult {
    let handle: OpaquePointer
    let binary: Bool

    init(_ handle: OpaquePointer, binary: Bool) {
        self.handle = handle
        self.binary = binary
    }

    deinit { PQclear(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }
    /// Rows an UPDATE, DELETE or INSERT touched.
    var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    /// The value's bytes and length, valid while the result lives.
    func raw(_ row: Int, _ column: Int) -> (pointer: UnsafeRawPointer, count: Int) {
        (UnsafeRawPointer(PQgetvalue(handle, Int32(row), Int32(column))!), Int(PQgetlength(handle, Int32(row), Int32(column))))
    }

    func string(_ row: Int, _ column: Int) -> String {
        String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    func optionalString(_ row: Int, _ column: Int) -> String? { isNull(row, column) ? nil : string(row, column) }

    func int64(_ row: Int, _ column: Int) -> Int64 {
        guard binary else { return Int64(string(row, column)) ?? 0 }
        let (value, count) = bigEndian(row, column)
        // Sign-extend 2- and 4-byte integers.
        let shift = UInt64(64 - 8 * count)
        return count < 8 ? Int64(bitPattern: value << shift) >> shift : Int64(bitPattern: value)
    }

    /// A binary value's bytes as one big-endian unsigned number, and how many bytes it had.
    private func bigEndian(_ row: Int, _ column: Int) -> (value: UInt64, count: Int) {
        let (pointer, count) = raw(row, column)
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(pointer.load(fromByteOffset: i, as: UInt8.self)) }
        return (value, count)
    }

    func int(_ row: Int, _ column: Int) -> Int { Int(int64(row, column)) }
    func optionalInt(_ row: Int, _ column: Int) -> Int? { isNull(row, column) ? nil : int(row, column) }

    func double(_ row: Int, _ column: Int) -> Double {
        guard binary else { return Double(string(row, column)) ?? 0 }
        let (bits, count) = bigEndian(row, column)
        return count == 4 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
    }

    /// A `bytea` value: raw in binary results, decoded from `\x` hex in text ones.
    func bytes(_ row: Int, _ column: Int) -> Data {
        let (pointer, count) = raw(row, column)
        if binary { return Data(bytes: pointer, count: count) }
        var length = 0
        guard let decoded = PQunescapeBytea(pointer.assumingMemoryBound(to: UInt8.self), &length) else { return Data() }
        defer { PQfreemem(decoded) }
        return Data(bytes: decoded, count: length)
    }

    func optionalBytes(_ row: Int, _ column: Int) -> Data? { isNull(row, column) ? nil : bytes(row, column) }
}
