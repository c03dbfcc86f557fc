import Foundation

/// Writes JSON-RPC messages to the client, one line each, whole. Writes go through one serial
/// queue, so two answers never interleave, and never block for long: each piece waits with `poll`
/// until the pipe can take it, and if the client reads nothing for `timeout` seconds (or has
/// closed its end), `onFailure` is told once and nothing more is written.
///
/// The descriptor is left in blocking mode (flags on an inherited descriptor are shared with the
/// parent, a terminal's included); pieces of at most `PIPE_BUF` bytes are written only after
/// `poll` says the pipe has room, so a write never blocks.
final class MessageWriter: @unchecked Sendable {
    // Unchecked: `failed` is read and written only on `queue`.
    private let descriptor: Int32
    private let timeout: Double
    private let queue = DispatchQueue(label: "semsearch.mcp.writer")
    private let onFailure: @Sendable (String) -> Void
    private var failed = false

    init(descriptor: Int32, timeout: Double, onFailure: @escaping @Sendable (String) -> Void) {
        self.descriptor = descriptor
        self.timeout = timeout
        self.onFailure = onFailure
    }

    /// Queues `message` as one line.
    func send(_ message: JSONValue) {
        let line = Array((message.text + "\n").utf8)
        queue.async { [self] in write(line) }
    }

    /// Waits until everything queued so far is written (or given up on).
    func drain() { queue.sync {} }

    private func write(_ bytes: [UInt8]) {
        guard !failed else { return }
        var offset = 0
        let deadline = Date().addingTimeInterval(timeout)
        while offset < bytes.count {
            var target = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return fail("the client has read nothing for \(Int(timeout)) s") }
            let ready = poll(&target, 1, Int32(min(left, 1) * 1000))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            if target.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 && target.revents & Int16(POLLOUT) == 0 {
                return fail("the client closed its end of the connection")
            }
            let count = min(bytes.count - offset, Int(PIPE_BUF))
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return fail(errno == EPIPE ? "the client closed its end of the connection" : String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    private func fail(_ reason: String) {
        failed = true
        onFailure(reason)
    }
}
