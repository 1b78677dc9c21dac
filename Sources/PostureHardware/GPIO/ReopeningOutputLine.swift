import Synchronization

/// An output line that asks for its GPIO line again after it failed: a USB GPIO bridge that
/// was unplugged and plugged back comes back as a new chip, and the old request stays dead.
/// Without this, one unplug would silence the indicator until the daemon restarts.
///
/// The failed request is released at once (so the line is free for the new one), and the
/// next `set(true)` requests it anew (a new request starts off). A pattern that fails is
/// abandoned by the player; the next nudge tries again. Called from the pattern player's
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
        let line: any OutputLine
        if let open = current.withLock({ $0 }) {
            line = open
        } else if !on {
            return  // the failed request is released, and a new one starts off: nothing to switch
        } else {
            line = try reopen()  // throws: still gone; the player reports it and goes on
            current.withLock { $0 = line }
            onReopened()
        }
        do {
            try line.set(on)
        } catch {
            current.withLock { $0 = nil }  // released: the next set asks for the line anew
            throw error
        }
    }
}
