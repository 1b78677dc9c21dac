import Glibc
import Logging
import PostureControl

/// The control server's event loop, on its own thread: accepts clients, reads and frames
/// their requests, answers protocol errors itself, hands requests to per-client session
/// tasks, and writes whatever the tasks queued in the outbox. It never waits on a client
/// or on the daemon: every fd is non-blocking, and it sleeps only in `poll(2)`.
///
/// Confined to its thread: the clients and sessions are plain mutable state.
final class ControlPollLoop {
    struct Shared: Sendable {
        let listener: Int32
        let wakeReader: Int32
        let wakeWriter: Int32
        let outbox: ControlOutbox
        let configuration: ControlServerConfiguration
        let authorization: PeerAuthorization
        let handler: any ControlHandler
        let logger: Logger
    }

    private struct SessionHandle {
        let task: Task<Void, Never>
        let requests: AsyncStream<ControlRequest>.Continuation
    }

    private let shared: Shared
    private let calibrationGate = CalibrationGate()
    private var clients: [Int: ControlConnection] = [:]
    private var sessions: [Int: SessionHandle] = [:]
    /// Sessions of disconnected clients, cancelled but maybe still unwinding; awaited at stop.
    private var retiring: [Int: Task<Void, Never>] = [:]
    private var nextClientID = 1
    /// After `accept` fails (EMFILE, ENOBUFS) the pending connection stays queued and the
    /// listener stays readable: stop polling it for a moment rather than spin.
    private var acceptPausedUntil: ContinuousClock.Instant?
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(_ shared: Shared) { self.shared = shared }

    /// Runs until `requestStop()`; then closes every client and both wake-up fds, and returns
    /// the session tasks (cancelled) for the caller to await. The listener is the caller's.
    func run() -> [Task<Void, Never>] {
        var stopping = false
        while !stopping {
            var timeout: Int32 = -1
            var listenEvents = Int16(POLLIN)
            if let until = acceptPausedUntil {
                let remaining = ContinuousClock.now.duration(to: until)
                if remaining > .zero {
                    listenEvents = 0
                    let (seconds, attoseconds) = remaining.components
                    timeout = Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000) + 1
                } else {
                    acceptPausedUntil = nil
                }
            }
            var fds = [pollfd(fd: shared.wakeReader, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: shared.listener, events: listenEvents, revents: 0)]
            let order = Array(clients.keys)
            for id in order {
                guard let client = clients[id] else { continue }
                var events: Int16 = 0
                if !client.inputClosed { events |= Int16(POLLIN) }
                if client.hasOutput { events |= Int16(POLLOUT) }
                fds.append(pollfd(fd: client.fd, events: events, revents: 0))
            }
            do {
                try ControlSyscall.poll(&fds, timeoutMilliseconds: timeout)
            } catch {
                // Only EINVAL/ENOMEM are possible; spinning would burn the CPU the sampling loop needs.
                shared.logger.error("control server: poll failed: \(error); stopping")
                break
            }
            if fds[0].revents != 0 { drainWakeSocket() }
            stopping = deliverOutbox()
            if stopping { break }
            if fds[1].revents & Int16(POLLIN) != 0 { acceptClients() }
            for (index, id) in order.enumerated() {
                let revents = fds[index + 2].revents
                guard revents != 0, let client = clients[id] else { continue }
                service(client, revents: revents)
            }
            closeFinishedClients()
        }
        return shutDown()
    }

    // MARK: Wake-ups and output

    private func drainWakeSocket() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while let count = try? ControlSyscall.read(shared.wakeReader, into: &scratch), count > 0 {}
    }

    /// Moves queued output into the clients' buffers and writes it. Returns whether to stop.
    private func deliverOutbox() -> Bool {
        let delivery = shared.outbox.take()
        for ended in delivery.endedSessions {
            retiring[ended] = nil
            clients[ended]?.sessionEnded = true
        }
        for (id, queue) in delivery.queues {
            guard let client = clients[id] else { continue }
            if queue.overflowed {
                disconnect(client, reason: "not reading its replies (more than \(shared.outbox.limit) bytes queued)", warn: true)
                continue
            }
            var fits = true
            for line in queue.lines where fits { fits = client.enqueue(line, limit: shared.configuration.outputBufferLimit) }
            guard fits else {
                disconnect(client, reason: "not reading its replies (\(client.pendingOutputBytes) bytes queued)", warn: true)
                continue
            }
            flush(client)
        }
        return delivery.stopRequested
    }

    private func flush(_ client: ControlConnection) {
        do {
            try client.flush()
            shared.outbox.noteUnwritten(client.id, bytes: client.pendingOutputBytes)
        } catch {
            disconnect(client, reason: "write failed: \(error)", warn: false)
        }
    }

    // MARK: Clients

    private func acceptClients() {
        while true {
            let fd: Int32
            do {
                guard let accepted = try ControlSyscall.accept(shared.listener) else { return }
                fd = accepted
            } catch {
                shared.logger.warning("control server: accept failed: \(error); retrying in 200 ms")
                acceptPausedUntil = ContinuousClock.now.advanced(by: .milliseconds(200))
                return
            }
            let peer = try? ControlSyscall.peerCredentials(fd)
            let id = nextClientID
            nextClientID += 1
            let mayChangeState = peer.map(shared.authorization.allowsStateChanges) ?? false
            let client = ControlConnection(
                id: id, fd: fd, peer: peer, mayChangeState: mayChangeState,
                maxLineBytes: shared.configuration.maxLineBytes)
            if clients.count >= shared.configuration.maxClients { evictIdleClient() }
            guard clients.count < shared.configuration.maxClients else {
                let refusal = ControlMessage.failure(id: nil, error: ControlError(
                    .tooManyClients, "too many clients (at most \(shared.configuration.maxClients)); try again later"))
                _ = try? ControlSyscall.send(fd, refusal[...])
                ControlSyscall.close(fd)
                shared.logger.warning("control server: refused \(client.description): too many clients")
                continue
            }
            clients[id] = client
            shared.outbox.open(id)
            startSession(for: client)
            shared.logger.debug("control server: \(client.description) connected")
        }
    }

    private func startSession(for client: ControlConnection) {
        let (requests, continuation) = AsyncStream.makeStream(of: ControlRequest.self, bufferingPolicy: .unbounded)
        let session = ControlSession(
            client: client.id, handler: shared.handler, outbox: shared.outbox, calibrationGate: calibrationGate)
        // Unstructured on purpose: sessions come and go with clients, independent of each
        // other; the loop keeps every handle and `ControlServer.run()` awaits them at stop.
        let task = Task { await session.run(requests) }
        sessions[client.id] = SessionHandle(task: task, requests: continuation)
    }

    private func service(_ client: ControlConnection, revents: Int16) {
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 && !client.inputClosed {
            readRequests(from: client)
        }
        guard clients[client.id] != nil else { return }
        if revents & Int16(POLLERR) != 0 || (revents & Int16(POLLHUP) != 0 && client.inputClosed) {
            // Both directions are gone: nobody will read what we would write.
            disconnect(client, reason: "hung up", warn: false)
            return
        }
        if revents & Int16(POLLOUT) != 0 { flush(client) }
    }

    /// Reads a bounded amount per wake-up (fairness between clients), frames it into lines
    /// and dispatches each.
    private func readRequests(from client: ControlConnection) {
        for _ in 0..<4 {
            let count: Int
            do {
                guard let n = try ControlSyscall.read(client.fd, into: &readBuffer) else { return }
                count = n
            } catch {
                disconnect(client, reason: "read failed: \(error)", warn: false)
                return
            }
            if count == 0 {
                endInput(of: client)
                return
            }
            client.lastProgress = ContinuousClock.now
            client.framer.append(readBuffer[..<count])
            while !client.inputClosed, let event = client.framer.nextLine() {
                switch event {
                case .line(let line): dispatch(line, from: client)
                case .tooLong: rejectLongLine(from: client)
                }
            }
            if client.inputClosed { return }
        }
    }

    private func dispatch(_ line: [UInt8], from client: ControlConnection) {
        switch ControlRequestDecoder.decode(line) {
        case nil:
            return
        case .failure(let rejection)?:
            answer(client, ControlMessage.failure(id: rejection.id, error: rejection.error))
        case .success(let request)?:
            if request.command.verb.changesState && !client.mayChangeState {
                let who = client.peer.map { "uid \($0.uid)" } ?? "an unidentified peer"
                let group = shared.configuration.group.map { name in
                    shared.authorization.groupID == nil
                        ? "; group '\(name)' does not exist, so only root and the daemon's user may (create it with 'groupadd --system \(name)')"
                        : "; join the '\(name)' group (sudo usermod -aG \(name) $USER, then log in again)"
                } ?? ""
                answer(client, ControlMessage.failure(id: request.id, error: ControlError(
                    .permissionDenied,
                    "'\(request.command.verb.rawValue)' changes the daemon's state and is not allowed for \(who)\(group)")))
                return
            }
            if request.command.verb == .calibrate { client.isCalibrating = true }
            sessions[client.id]?.requests.yield(request)
        }
    }

    /// A client through which no byte moved for this long may give its place to a new one.
    static let idleEvictionSeconds = 1.0

    /// All places taken: the client idle longest goes, if it has been idle for
    /// `idleEvictionSeconds` (a half-sent request, replies never read), so that a few silent or
    /// stuck clients cannot lock `posturectl status` out. A calibration is never cut short.
    private func evictIdleClient() {
        let now = ContinuousClock.now
        let candidates = clients.values.filter { !$0.isCalibrating && now - $0.lastProgress >= .seconds(Self.idleEvictionSeconds) }
        guard let idle = candidates.min(by: { $0.lastProgress < $1.lastProgress }) else { return }
        disconnect(idle, reason: "idle while all \(shared.configuration.maxClients) places were taken", warn: true)
    }

    /// `line_too_long`, then close: the rest of the line cannot be told from the next request.
    private func rejectLongLine(from client: ControlConnection) {
        answer(client, ControlMessage.failure(id: nil, error: ControlError(
            .lineTooLong, "request line longer than \(shared.configuration.maxLineBytes) bytes; closing the connection")))
        client.closeAfterFlush = true
        endInput(of: client)
        sessions[client.id]?.task.cancel()
        shared.logger.notice("control server: \(client.description) sent an oversized line; disconnecting")
    }

    /// A reply from the poll thread itself (protocol errors): straight into the buffer.
    private func answer(_ client: ControlConnection, _ line: [UInt8]) {
        guard client.enqueue(line, limit: shared.configuration.outputBufferLimit) else {
            disconnect(client, reason: "not reading its replies", warn: true)
            return
        }
        flush(client)
    }

    /// The client will send nothing more; requests in flight still finish and are answered.
    private func endInput(of client: ControlConnection) {
        client.inputClosed = true
        sessions[client.id]?.requests.finish()
    }

    private func closeFinishedClients() {
        for client in Array(clients.values) where !client.hasOutput {
            if client.closeAfterFlush || (client.inputClosed && client.sessionEnded) {
                disconnect(client, reason: "done", warn: false)
            }
        }
    }

    private func disconnect(_ client: ControlConnection, reason: String, warn: Bool) {
        guard clients.removeValue(forKey: client.id) != nil else { return }
        ControlSyscall.close(client.fd)
        shared.outbox.close(client.id)
        if let session = sessions.removeValue(forKey: client.id) {
            session.requests.finish()
            session.task.cancel()
            if !client.sessionEnded { retiring[client.id] = session.task }
        }
        if warn {
            shared.logger.warning("control server: disconnected \(client.description): \(reason)")
        } else {
            shared.logger.debug("control server: \(client.description) disconnected: \(reason)")
        }
    }

    private func shutDown() -> [Task<Void, Never>] {
        for client in Array(clients.values) {
            flush(client)  // best effort: a final reply already queued may still go out
            disconnect(client, reason: "server stopping", warn: false)
        }
        shared.outbox.shutDown()
        ControlSyscall.close(shared.wakeReader)
        ControlSyscall.close(shared.wakeWriter)
        let tasks = Array(retiring.values)
        retiring.removeAll()
        return tasks
    }
}
