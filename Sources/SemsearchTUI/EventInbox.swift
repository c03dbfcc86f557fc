import Foundation
import Synchronization

/// Where background jobs leave their events for the UI thread. Each delivery also writes a byte
/// to a pipe, so the UI thread can sleep in `poll` on the terminal and this pipe together and wake
/// for whichever comes first.
final class EventInbox: Sendable {
    private let events = Mutex<[TUIEvent]>([])
    /// Read end (polled by the UI thread) and write end of the wake-up pipe.
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() {
        var descriptors: [Int32] = [0, 0]
        if pipe(&descriptors) != 0 { descriptors = [-1, -1] }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors where descriptor >= 0 {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    func deliver(_ event: TUIEvent) {
        events.withLock { $0.append(event) }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Every event delivered so far, oldest first; empties the inbox and the pipe.
    func take() -> [TUIEvent] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(readDescriptor, &scratch, scratch.count) > 0 {}
        return events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }

    /// Sleeps until an event is delivered or `timeout` seconds pass; returns whether one was.
    func wait(timeout: Double) -> Bool {
        if events.withLock({ !$0.isEmpty }) { return true }
        var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(max(0, timeout * 1000)))
        return events.withLock { !$0.isEmpty }
    }
}
