import Foundation
import SemsearchKit

/// The PostgreSQL server the PostgreSQL tests use: `$SEMSEARCH_TEST_POSTGRES`, a `postgres://` URL
/// to a database with pgvector where the role may create schemas (`scripts/postgres-test-server.sh
/// start` prints it; `.ci/run` starts that server). Each test works in a schema of its own.
public enum TestPostgres {
    /// The server's URL, when it is set and answers.
    public static let url: String? = {
        guard let url = ProcessInfo.processInfo.environment["SEMSEARCH_TEST_POSTGRES"], !url.isEmpty else { return nil }
        do { _ = try PostgresIndexStore(url: url + separator(url) + "schema=probe_never_created", create: false) } catch StoreError.empty {
            return url
        } catch {
            print("PostgreSQL at $SEMSEARCH_TEST_POSTGRES does not answer: \(error)")
            return nil
        }
        return url
    }()

    public static var available: Bool { url != nil }
    public static let skipReason = "no PostgreSQL server: $SEMSEARCH_TEST_POSTGRES is unset or does not answer (scripts/postgres-test-server.sh start; .ci/run starts one)"

    /// The folder of the server's own programs (`psql`), from `$SEMSEARCH_TEST_POSTGRES_BIN`.
    public static var binaries: String? { ProcessInfo.processInfo.environment["SEMSEARCH_TEST_POSTGRES_BIN"] }

    /// A URL naming a schema no test used before.
    public static func freshIndex(_ label: String) -> String {
        let url = url!
        return url + separator(url) + "schema=t_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func separator(_ url: String) -> String { url.contains("?") ? "&" : "?" }

    /// Runs SQL through the server's `psql` against the test database; nil without `psql`.
    @discardableResult
    public static func psql(_ sql: String) throws -> String? {
        guard let binaries, let url else { return nil }
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: binaries).appendingPathComponent("psql")
        process.arguments = [url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
