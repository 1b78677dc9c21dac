import Dispatch
import Glibc
public import PostureCore
import Synchronization

/// The button's own thread: waits on the line's edge events (never the sampling loop's
/// business), debounces them in software when the kernel does not, classifies them
/// (`ButtonGestures`) and hands each `ButtonEvent` to `onEvent`.
///
/// At start the line is opened on the thread and `start` waits for that first attempt, so a
/// line that does not exist or is taken fails the daemon's start-up. Later failures (a USB
/// bridge unplugged) are handed to `onProblem` once, then the line is reopened with back-off
/// (`retryDelays`) until it works again (`onRecovered`): a broken button never stops nudging.
public final class ButtonWatcher: Sendable {
    /// Reopening after a failure: soon, then less and less often, a minute at most.
    public static let retryDelays: [Duration] = [
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(15), .seconds(30), .seconds(60),
    ]
    /// A reopened line that has served this long has recovered: its next failure is retried
    /// soon again.
    static let stableServiceTime = Duration.seconds(10)
    /// The longest the thread waits before looking at `stop()`: the daemon's SIGTERM must
    /// finish within a second.
    static let stopCheckInterval = Duration.milliseconds(200)

    public struct Callbacks: Sendable {
        public var onEvent: @Sendable (ButtonEvent) -> Void
        public var onProblem: @Sendable (any Error) -> Void
        public var onRecovered: @Sendable () -> Void

        public init(
            onEvent: @escaping @Sendable (ButtonEvent) -> Void, onProblem: @escaping @Sendable (any Error) -> Void,
            onRecovered: @escaping @Sendable () -> Void
        ) {
            self.onEvent = onEvent
            self.onProblem = onProblem
            self.onRecovered = onRecovered
        }
    }

    private let stopping: Shared
    private let thread: Mutex<pthread_t?>

    /// Starts the thread and waits for its first `open`; its error is thrown here.
    /// `open` is called on the button thread only, so the source never crosses threads.
    public init(
        timing: ButtonGestures.Timing, open: @escaping @Sendable () throws -> any ButtonEdgeSource, callbacks: Callbacks
    ) throws {
        let shared = Shared()
        stopping = shared
        let opened = DispatchSemaphore(value: 0)
        let started: pthread_t
        do {
            started = try Syscalls.startThread(named: "postured-button") {
                Self.run(timing: timing, open: open, callbacks: callbacks, shared: shared, opened: opened)
            }
        } catch {
            throw ButtonWatcherError(detail: "cannot start the button thread: \(error)")
        }
        thread = Mutex(started)
        opened.wait()
        if let error = shared.firstError.withLock({ $0 }) {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Ends the thread (within `stopCheckInterval`) and releases the line.
    public func stop() {
        stopping.flag.withLock { $0 = true }
        if let running = thread.withLock({ thread in defer { thread = nil }; return thread }) {
            Syscalls.joinThread(running)
        }
    }

    /// What the starter and the thread share, each member behind a mutex.
    final class Shared: Sendable {
        let flag = Mutex(false)
        /// The first open's error: `init` rethrows it.
        let firstError = Mutex<(any Error)?>(nil)
        var isStopping: Bool { flag.withLock { $0 } }
    }

    private static func run(
        timing: ButtonGestures.Timing, open: @Sendable () throws -> any ButtonEdgeSource, callbacks: Callbacks,
        shared: Shared, opened: DispatchSemaphore
    ) {
        var line: (any ButtonEdgeSource)?
        do {
            line = try open()
        } catch {
            shared.firstError.withLock { $0 = error }
        }
        opened.signal()
        guard line != nil else { return }
        var failures = 0
        while !shared.isStopping {
            if line != nil {
                let served = Syscalls.monotonicNow()
                guard let error = serve(&line, timing: timing, callbacks: callbacks, shared: shared) else { return }
                callbacks.onProblem(error)  // once per outage: the line worked since the last report
                // The back-off starts afresh only after a line that served a while: one that
                // opens and fails at once (a driver in a bad state) is retried ever less often,
                // not every half second for ever.
                if Syscalls.monotonicNow() - served >= stableServiceTime { failures = 0 }
            }
            if !pause(retryDelays[min(failures, retryDelays.count - 1)], shared: shared) { return }
            failures += 1
            if let reopened = try? open() {
                line = reopened
                callbacks.onRecovered()
            }
        }
    }

    /// Listens on `line` until stopped (nil) or it fails: then the error, with `line` released
    /// (set to nil, so the request is given back before it is asked for again, which would
    /// otherwise find the line busy).
    private static func serve(
        _ line: inout (any ButtonEdgeSource)?, timing: ButtonGestures.Timing, callbacks: Callbacks, shared: Shared
    ) -> (any Error)? {
        guard let source = line else { return nil }
        do {
            try listen(source, timing: timing, callbacks: callbacks, shared: shared)
            return nil
        } catch {
            line = nil
            return error
        }
    }

    /// Reads, debounces and classifies until stopped (returns) or the line fails (throws).
    private static func listen(
        _ line: any ButtonEdgeSource, timing: ButtonGestures.Timing, callbacks: Callbacks, shared: Shared
    ) throws(GPIOError) {
        // Held already (stuck, or active_low the wrong way round): reported as stuck, not a
        // press at its release. A level that cannot be read is taken as released.
        let opened = UInt64(Syscalls.monotonicNow() / .nanoseconds(1))
        let heldAtStart = (try? line.readPressed()) == .some(true) ? opened : nil
        var input = ButtonInput(timing: timing, kernelDebounced: line.kernelDebounced, heldAtStart: heldAtStart)
        func deliver(_ events: [ButtonEvent]) { for event in events { callbacks.onEvent(event) } }
        func readPending() throws(GPIOError) {
            try line.readEdges { edge in deliver(input.edge(pressed: edge.rising, at: edge.timestampNanoseconds)) }
        }
        while !shared.isStopping {
            let now = UInt64(Syscalls.monotonicNow() / .nanoseconds(1))
            // Edges already waiting happened before `now`: classified first, or a thread woken
            // late would close a double press's window before reading its second press.
            while try line.wait(timeout: .zero) { try readPending() }
            deliver(input.advance(to: now))
            var timeout = stopCheckInterval
            if let deadline = input.nextDeadline {
                timeout = min(timeout, .nanoseconds(Int64(clamping: deadline &- min(deadline, now))))
            }
            guard try line.wait(timeout: timeout) else { continue }
            try readPending()
        }
    }

    /// Sleeps `duration` in short steps; false if stopped meanwhile.
    private static func pause(_ duration: Duration, shared: Shared) -> Bool {
        let end = Syscalls.monotonicNow() + duration
        while Syscalls.monotonicNow() < end {
            if shared.isStopping { return false }
            Syscalls.sleepUntilMonotonic(min(end, Syscalls.monotonicNow() + stopCheckInterval))
        }
        return !shared.isStopping
    }
}

/// Why the button thread could not start.
public struct ButtonWatcherError: Error, CustomStringConvertible {
    public var detail: String
    public var description: String { "button: \(detail)" }
}
