import Synchronization

/// An output line that asks for its GPIO line again after it failed: a USB GPIO bridge that
/// was unplugged and plugged back comes back as a new chip, and the old request stays dead.
/// Without this, one unplug would silence the indicator until the daemon restarts.
///
/// The failed request is released at once (so the line is free for the new one), and the
/// line is requested anew at once and at each later `set(true)` until a request works (a new
/// request starts off, so an off needs none). A pattern that fails is abandoned by the
/// player; the next nudge tries again. Called from the pattern player's
/// thread only, never from the sampling loop, so the search of /dev for the chip costs the
/// loop nothing.
public final class ReopeningOutputLine: OutputLine {
    private let current: Mutex<(any OutputLine)?>
    private let reopen: @Sendable () throws -> any OutputLine
    private let onReopened: @Sendable () -> Void

    /// `line` is the request made at start; `reopen` makes a new one the same way.
    public init(
        _ line: any OutputLine, reopen: @escaping @Sendable () throws -> any OutputLine,
        onReopened: @escaping @Sendable () -> Void = {}
    ) {
        current = Mutex(line)
        self.reopen = reopen
        self.onReopened = onReopened
    }

    public func set(_ on: Bool) throws {
        if let line = current.withLock({ $0 }) {
            do {
                return try line.set(on)
            } catch {
                current.withLock { $0 = nil }  // released: the line is free for a new request
                // The request may have died in an unplug that is already over (the bridge back
                // as a new chip): one new request now, so this nudge is not lost as well.
                guard on else { throw error }
            }
        } else if !on {
            return  // a new request starts off: nothing to switch
        }
        let line = try reopen()  // throws: still gone; the player reports it and goes on
        current.withLock { $0 = line }
        onReopened()
        do {
            try line.set(on)
        } catch {
            current.withLock { $0 = nil }
            throw error
        }
    }
}
