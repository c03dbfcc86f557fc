import CLibPQ
import Foundation

/// One libpq connection. libpq was chosen over postgres-nio: it is a system library like SQLite
/// and OpenBLAS (Debian's libpq-dev), it gives every connection convention users expect for free
/// (URLs, `PG*` variables, `~/.pgpass`, service files, Unix sockets, sslmode) where postgres-nio has
/// no URL parser, it speaks the binary row format the vector loads read in place, and it adds no
/// dependency tree (postgres-nio brings SwiftNIO: 2.5–4.5 minutes more of every CI build). The
/// store's calls are synchronous, as are SQLite's. Not thread-safe: its owner serializes use.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// Notifications received so far on channels this connection listens to.
    private(set) var notificationCount = 0

    /// Connects to `url` (libpq's URL syntax); throws the server's or libpq's first line. The
    /// application name (`semsearch`, which lock messages show) and a 10-second connect timeout
    /// come before the URL, so the URL's own parameters and `$PGCONNECT_TIMEOUT` override them.
    init(url: String) throws {
        let keywords = ["fallback_application_name", "connect_timeout", "dbname"]
        let values = ["semsearch", ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] ?? "10", url]
        let cKeywords = keywords.map { strdup($0) }, cValues = values.map { strdup($0) }
        defer { (cKeywords + cValues).forEach { free($0) } }
        let connection = (cKeywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { k in
            (cValues.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let connection else { throw PostgresError(sqlState: "", message: "out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(sqlState: "", message: message)
        }
        handle = connection
        // NOTICEs (CREATE … IF NOT EXISTS that exists) are not for the user.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Names of the statements prepared on this connection, by their SQL.
    private var prepared: [String: String] = [:]

    /// Runs `sql` with `parameters` (`$1`, `$2`…), results in text or binary format. With
    /// `prepared`, the statement is parsed and planned once a connection and run by name after
    /// (the statements a store runs once a chunk).
    @discardableResult
    func execute(_ sql: String, _ parameters: [PostgresValue] = [], binaryResults: Bool = false, prepared: Bool = false) throws -> PostgresResult {
        // Without parameters, the simple protocol, which also runs several statements at once (DDL).
        if parameters.isEmpty && !prepared && !binaryResults { return try check(PQexec(handle, sql), binary: false) }
        let wires = parameters.map(\.wire)
        let buffers: [UnsafeMutablePointer<CChar>?] = wires.map { wire in
            guard let bytes = wire.bytes else { return nil }
            // Text values are read up to a NUL (libpq ignores their lengths), binary ones by length.
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
            }
            buffer[bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let lengths = wires.map { Int32($0.bytes?.count ?? 0) }
        let formats = wires.map { Int32($0.binary ? 1 : 0) }
        let types = wires.map { Oid($0.type) }
        var name: String?
        if prepared {
            if let known = self.prepared[sql] {
                name = known
            } else {
                let fresh = "s\(self.prepared.count)"
                try check(PQprepare(handle, fresh, sql, Int32(parameters.count), types), binary: false)
                self.prepared[sql] = fresh
                name = fresh
            }
        }
        let result = buffers.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            if let name {
                return PQexecPrepared(handle, name, Int32(parameters.count), values.baseAddress, lengths, formats, binaryResults ? 1 : 0)
            }
            return PQexecParams(handle, sql, Int32(parameters.count), types, values.baseAddress, lengths, formats, binaryResults ? 1 : 0)
        }
        return try check(result, binary: binaryResults)
    }

    /// `result` when it holds rows or a command's success, else its error (freed).
    @discardableResult
    private func check(_ result: OpaquePointer?, binary: Bool) throws -> PostgresResult {
        guard let result else { throw PostgresError(sqlState: "", message: String(cString: PQerrorMessage(handle))) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PostgresResult(result, binary: binary)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = String(cString: PQresultErrorMessage(result))
            PQclear(result)
            throw PostgresError(sqlState: state, message: message)
        }
    }

    /// Reads what the server sent without waiting and counts the notifications among it: a
    /// listener's change check costs no round trip.
    func drainNotifications() -> Int {
        _ = PQconsumeInput(handle)
        while let notification = PQnotifies(handle) {
            notificationCount += 1
            PQfreemem(notification)
        }
        return notificationCount
    }

    /// Whether the connection is still up (a restarted server drops it).
    var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's version as a number (180006 for 18.6).
    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// A string as an SQL literal, quoted and escaped for this connection.
    func literal(_ text: String) -> String {
        guard let escaped = PQescapeLiteral(handle, text, text.utf8.count) else { return "''" }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}
