import Glibc
import Synchronization

/// The hand-off from the server's tasks (which produce replies and events) to the poll
/// thread (which owns the sockets and writes them). Producers never block and never touch
/// a client's fd: they append under a short lock and poke the poll thread's wake-up socket.
///
/// Bounded: a client's queue holds at most `limit` bytes here; beyond that it is marked
/// overflowed and the poll thread disconnects it (a client that does not read must cost the
/// daemon neither memory nor time).
final class ControlOutbox: Sendable {
    struct Queue {
        var lines: [[UInt8]] = []
        var bytes = 0
        var overflowed = false
    }

    /// What the poll thread takes on each wake-up.
    struct Delivery {
        var queues: [Int: Queue] = [:]
        /// Sessions whose tasks ended (no more output will come for these clients).
        var endedSessions: [Int] = []
        var stopRequested = false
    }

    private struct State {
        var open: Set<Int> = []
        /// Bytes each client's socket buffer still held after the poll thread's last write.
        var written: [Int: Int] = [:]
        var pending = Delivery()
        var wakePending = false
        /// Set by the poll thread before it closes the wake-up socket, so no late producer
        /// writes to a closed (and possibly reused) fd number.
        var closed = false
    }

    private let state = Mutex(State())
    private let wakeFD: Int32
    let limit: Int

    /// `wakeFD`: the write end of the poll thread's wake-up socket pair (owned by the poll thread).
    init(wakeFD: Int32, limit: Int) {
        self.wakeFD = wakeFD
        self.limit = limit
    }

    /// A new client may receive output.
    func open(_ client: Int) {
        state.withLock { _ = $0.open.insert(client) }
    }

    /// Queues one line for `client`. `false` when the client is gone or over its limit: the
    /// caller (a watch or record loop) stops producing.
    @discardableResult
    func send(_ client: Int, _ line: [UInt8]) -> Bool {
        state.withLock { state in
            guard state.open.contains(client), !state.closed else { return false }
            var queue = state.pending.queues[client] ?? Queue()
            guard !queue.overflowed else { return false }
            if queue.bytes + line.count > limit {
                queue.overflowed = true
                queue.lines = []
                queue.bytes = 0
                state.pending.queues[client] = queue
                wake(&state)
                return false
            }
            queue.lines.append(line)
            queue.bytes += line.count
            state.pending.queues[client] = queue
            wake(&state)
            return true
        }
    }

    /// Output not yet taken by the client: queued here plus what its socket buffer still
    /// held at the poll thread's last write. A streaming session (`record`) ends itself,
    /// saying why, before this reaches `limit` and the client would be cut off mid-line.
    func backlog(_ client: Int) -> Int {
        state.withLock { ($0.pending.queues[client]?.bytes ?? 0) + ($0.written[client] ?? 0) }
    }

    /// Poll thread: what `client`'s socket buffer holds after a write.
    func noteUnwritten(_ client: Int, bytes: Int) {
        state.withLock { $0.written[client] = bytes }
    }

    /// A client's session task has ended.
    func sessionEnded(_ client: Int) {
        state.withLock { state in
            state.pending.endedSessions.append(client)
            wake(&state)
        }
    }

    /// Asks the poll thread to shut down.
    func requestStop() {
        state.withLock { state in
            state.pending.stopRequested = true
            wake(&state)
        }
    }

    /// Poll thread: a client was disconnected; its queued and future output is dropped.
    func close(_ client: Int) {
        state.withLock { state in
            state.open.remove(client)
            state.pending.queues[client] = nil
            state.written[client] = nil
        }
    }

    /// Poll thread: everything queued since the last call.
    func take() -> Delivery {
        state.withLock { state in
            let delivery = state.pending
            state.pending = Delivery(stopRequested: delivery.stopRequested)
            state.wakePending = false
            return delivery
        }
    }

    /// Poll thread, on exit: no more wake-ups.
    func shutDown() {
        state.withLock { state in
            state.closed = true
            state.open.removeAll()
            state.pending = Delivery(stopRequested: true)
        }
    }

    /// One byte on the wake-up socket, unless one is already pending. Written under the lock,
    /// so it cannot race with `shutDown()`; it is a non-blocking send of one byte.
    private func wake(_ state: inout State) {
        guard !state.wakePending, !state.closed else { return }
        state.wakePending = true
        let byte: [UInt8] = [1]
        _ = try? ControlSyscall.send(wakeFD, byte[...])
    }
}
