public import Logging
public import ServiceLifecycle
import Glibc
import PostureControl
import Synchronization

/// The control socket: a Unix stream socket speaking versioned JSON lines
/// (`docs/control-protocol.md`), serving many clients through a `ControlHandler`.
///
/// A `Service`: `run()` binds (unless `bind()` was called first), serves until graceful
/// shutdown or cancellation, then closes every connection, waits for the request tasks
/// to unwind, closes the socket and removes its file.
///
/// Threads: a dedicated poll thread owns every fd and never blocks on a client; requests
/// run as tasks calling the handler; the two meet in a lock-protected, bounded outbox.
public final class ControlServer: Service, Sendable {
    private enum Phase: Sendable {
        case idle
        case bound(ControlListener)
        case running
        case finished
    }

    public let configuration: ControlServerConfiguration
    private let handler: any ControlHandler
    private let logger: Logger
    private let phase = Mutex(Phase.idle)

    public init(configuration: ControlServerConfiguration, handler: any ControlHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    deinit {
        // bound but never run: do not leave a socket nobody answers on
        if case .bound(let listener) = phase.withLock({ $0 }) { listener.close() }
    }

    /// Binds the socket now, so the daemon can fail at start-up (before telling systemd it
    /// is ready) with a clear error: `socketInUse`, `notASocket`, `pathTooLong`, `system`.
    /// Optional: `run()` binds if this was not called.
    public func bind() throws(ControlServerError) {
        try phase.withLock { phase throws(ControlServerError) in
            guard case .idle = phase else { return }
            phase = .bound(try ControlListener.bind(configuration, logger: logger))
        }
    }

    public func run() async throws {
        try bind()
        let listener: ControlListener = try phase.withLock { phase throws(ControlServerError) in
            guard case .bound(let listener) = phase else { throw .alreadyStarted }
            phase = .running
            return listener
        }
        defer {
            listener.close()
            phase.withLock { $0 = .finished }
        }

        let wake: (reader: Int32, writer: Int32)
        do { wake = try ControlSyscall.socketPair() } catch {
            throw ControlServerError.system(path: listener.path, operation: "socketpair", message: error.description)
        }
        let outbox = ControlOutbox(wakeFD: wake.writer, limit: configuration.outputBufferLimit)
        let shared = ControlPollLoop.Shared(
            listener: listener.fd, wakeReader: wake.reader, wakeWriter: wake.writer, outbox: outbox,
            configuration: configuration, authorization: listener.authorization, handler: handler, logger: logger)
        logger.info("control server listening on \(listener.path)")

        let sessions = try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await serve(shared)
            } onGracefulShutdown: {
                outbox.requestStop()
            }
        } onCancel: {
            outbox.requestStop()
        }
        for session in sessions { session.cancel() }
        for session in sessions { await session.value }
        logger.info("control server stopped")
    }

    /// Runs the poll loop on its thread; returns the session tasks still unwinding when it stops.
    private func serve(_ shared: ControlPollLoop.Shared) async throws -> [Task<Void, Never>] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Task<Void, Never>], any Error>) in
            do throws(ControlErrno) {
                try ControlSyscall.startDetachedThread(named: "postured-ctl") {
                    continuation.resume(returning: ControlPollLoop(shared).run())
                }
            } catch {
                ControlSyscall.close(shared.wakeReader)
                ControlSyscall.close(shared.wakeWriter)
                continuation.resume(throwing: ControlServerError.system(
                    path: shared.configuration.path, operation: "starting the control thread", message: error.description))
            }
        }
    }
}
