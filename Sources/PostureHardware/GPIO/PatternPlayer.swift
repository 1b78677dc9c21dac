import Dispatch
import Glibc
import Synchronization

/// Plays nudge patterns on one output line from its own thread, so the sampling loop only
/// enqueues: `play` takes a mutex held for a few instructions (never across I/O or sleeping)
/// and signals a semaphore; it never waits for the line or the clock.
///
/// Overlapping nudges are **queued**, not replaced: cutting a pattern short would turn, say,
/// three long pulses into something the wearer reads as another reason. At most `maxWaiting`
/// patterns wait; a request beyond that is dropped (`play` returns false, `droppedCount` counts
/// it): a backlog of stale nudges is worse than a missing one. Consecutive patterns are
/// separated by at least `gap` so the wearer can tell them apart.
///
/// The line is assumed off when the player starts and is always left off after each pattern
/// (also one cut short by `stop()`) and after an error. Only level changes are written.
public final class PatternPlayer: Sendable {
    public static let maxWaiting = 4
    public static let defaultGap = Duration.milliseconds(500)

    private let shared: Shared
    private let thread: Mutex<pthread_t?>

    /// Starts the player's thread. `onError` is called on that thread when the line fails
    /// (e.g. the USB GPIO bridge was unplugged); the pattern is abandoned and the next one tried.
    public init(line: any OutputLine, clock: any PatternClock = MonotonicPatternClock(),
                gap: Duration = defaultGap, onError: @escaping @Sendable (any Error) -> Void = { _ in }) throws(PatternPlayerError) {
        let shared = Shared(line: line, clock: clock, gap: gap, onError: onError)
        self.shared = shared
        do {
            thread = Mutex(try Syscalls.startThread(named: "postured-nudge") { shared.run() })
        } catch {
            throw PatternPlayerError(detail: "cannot start the player thread: \(error)")
        }
    }

    deinit {
        stop()
    }

    /// Enqueues a pattern; returns false if it was dropped (queue full, or stopped).
    @discardableResult
    public func play(_ pattern: NudgePattern) -> Bool {
        let accepted = shared.state.withLock { state -> Bool in
            guard !state.stopping, state.waiting.count < Self.maxWaiting else {
                state.dropped += 1
                return false
            }
            state.waiting.append(pattern)
            return true
        }
        if accepted { shared.wake.signal() }
        return accepted
    }

    /// Requests dropped so far because the queue was full or the player stopped.
    public var droppedCount: Int { shared.state.withLock { $0.dropped } }

    /// Waits until nothing plays or waits; false if `timeout` passed first. For shutdown
    /// ("let the last nudge finish") and tests; never call it from the sampling loop.
    public func waitUntilIdle(timeout: Duration) -> Bool {
        // Clamped: a "forever" timeout must not overflow the nanosecond count.
        let nanoseconds = Int(min(max(timeout / .nanoseconds(1), 0), 1e15))
        let deadline = DispatchTime.now() + DispatchTimeInterval.nanoseconds(nanoseconds)
        while !shared.state.withLock(\.isIdle) {
            if shared.becameIdle.wait(timeout: deadline) == .timedOut { return shared.state.withLock(\.isIdle) }
        }
        return true
    }

    /// Stops after the current step, drops waiting patterns, turns the line off and joins the
    /// thread. The longest wait is one step (at most `NudgePattern.maxStepMilliseconds`).
    public func stop() {
        shared.state.withLock { $0.stopping = true }
        shared.wake.signal()
        if let running = thread.withLock({ thread in defer { thread = nil }; return thread }) {
            Syscalls.joinThread(running)
        }
    }
}

/// Why the player could not start.
public struct PatternPlayerError: Error, CustomStringConvertible {
    public var detail: String
    public var description: String { "nudge pattern player: \(detail)" }
}

extension PatternPlayer {
    struct State {
        var waiting: [NudgePattern] = []
        var playing = false
        var stopping = false
        var dropped = 0

        var isIdle: Bool { waiting.isEmpty && !playing }

        init() { waiting.reserveCapacity(PatternPlayer.maxWaiting) }  // `play` then never allocates
    }

    /// What the caller and the player thread share. Every member is `Sendable`: the line and
    /// clock by their protocols, the state behind a mutex, the semaphores by libdispatch.
    final class Shared: Sendable {
        let line: any OutputLine
        let clock: any PatternClock
        let gap: Duration
        let onError: @Sendable (any Error) -> Void
        let state = Mutex(State())
        /// Signalled on each `play` and on `stop`; the idle thread waits on it.
        let wake = DispatchSemaphore(value: 0)
        /// Signalled each time the thread runs out of work.
        let becameIdle = DispatchSemaphore(value: 0)

        init(line: any OutputLine, clock: any PatternClock, gap: Duration, onError: @escaping @Sendable (any Error) -> Void) {
            self.line = line
            self.clock = clock
            self.gap = gap
            self.onError = onError
        }

        private enum Next { case play(NudgePattern), idle, stop }

        /// The player thread's loop.
        func run() {
            var lastEnd: Duration?
            while true {
                let next = state.withLock { state -> Next in
                    if state.stopping { state.playing = false; state.waiting.removeAll(); return .stop }
                    guard !state.waiting.isEmpty else { state.playing = false; return .idle }
                    state.playing = true
                    return .play(state.waiting.removeFirst())
                }
                switch next {
                case .stop:
                    // `perform` always leaves the line off, so there is nothing to undo here.
                    becameIdle.signal()
                    return
                case .idle:
                    becameIdle.signal()
                    wake.wait()
                case .play(let pattern):
                    if let lastEnd { clock.sleep(until: lastEnd + gap) }
                    lastEnd = perform(pattern)
                }
            }
        }

        /// Plays one pattern to absolute deadlines (no drift); returns when it ended.
        private func perform(_ pattern: NudgePattern) -> Duration {
            var isOn = false
            var deadline = clock.now()
            do {
                for step in pattern.steps {
                    if state.withLock(\.stopping) { break }
                    if step.on != isOn {
                        try line.set(step.on)
                        isOn = step.on
                    }
                    deadline += step.duration
                    clock.sleep(until: deadline)
                }
                if isOn { try line.set(false) }
            } catch {
                onError(error)
                turnOff()
                return clock.now()
            }
            return deadline
        }

        private func turnOff() {
            do { try line.set(false) } catch { onError(error) }
        }
    }
}
