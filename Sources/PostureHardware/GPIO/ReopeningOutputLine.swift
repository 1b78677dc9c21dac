import Synchronization

/// An output line that asks for its GPIO line again after it failed: a USB GPIO bridge that
/// was unplugged and plugged back comes back as a new chip, and the old request stays dead.
/// Without this, one unplug would silence the indicator until the daemon restarts.
///
/// The failed request is released at once (so the line is free for the new one), and the
/// line is requested anew at once and at each later `set(true)` until a request works (a new
/// request starts off, so an off needs none). A pattern that fails is abandoned by the
/// player; the next nudge tries again. Called from the pattern player's thread only, never
/// from the sampling loop, so the search of /dev for the chip costs the loop nothing.
public final class ReopeningOutputLine: OutputLine {
    private enum State {
        case open(any OutputLine)
        /// The last request failed and was released; the next `set(true)` asks again.
        case failed
        /// Given back for good (`release()`): a new configuration may request the line now.
        case released
    }

    private let state: Mutex<State>
    private let reopen: @Sendable () throws -> any OutputLine
    private let onReopened: @Sendable () -> Void

    /// `line` is the request made at start; `reopen` makes a new one the same way.
    public init(
        _ line: any OutputLine, reopen: @escaping @Sendable () throws -> any OutputLine,
        onReopened: @escaping @Sendable () -> Void = {}
    ) {
        state = Mutex(.open(line))
        self.reopen = reopen
        self.onReopened = onReopened
    }

    /// Gives the line back to the kernel now, not when the last reference goes: a reload that
    /// requests the same line again must not find it still held. Call after the player stopped.
    public func release() {
        state.withLock { $0 = .released }
    }

    public func set(_ on: Bool) throws {
        switch state.withLock({ $0 }) {
        case .released:
            return
        case .open(let line):
            do {
                return try line.set(on)
            } catch {
                state.withLock { $0 = .failed }  // released: the line is free for a new request
                // The request may have died in an unplug that is already over (the bridge back
                // as a new chip): one new request now, so this nudge is not lost as well.
                guard on else { throw error }
            }
        case .failed:
            guard on else { return }  // a new request starts off: nothing to switch
        }
        let line = try reopen()  // throws: still gone; the player reports it and goes on
        try line.set(on)  // throws: the new request is dropped, and released with it
        state.withLock { state in
            if case .released = state { return }  // released meanwhile: keep it given back
            state = .open(line)
        }
        onReopened()
    }
}
