/// The button thread's whole input chain, raw edges in and `ButtonEvent`s out: the software
/// debounce where the kernel does not debounce (`EdgeDebouncer`), then the classifier
/// (`ButtonGestures`). Pure, like its parts, so the tests drive the chain the daemon runs.
///
/// The debouncer releases a level a period after its burst's last edge, stamped with the
/// burst's first edge; the classifier is therefore never moved past a burst still pending,
/// or a second press in the last 20 ms of the double-press window would first close that
/// window (a short press) and then arrive (another short), and a release just before the
/// long-press time would fire a long press.
public struct ButtonInput: Sendable {
    /// Contact bounce lasts milliseconds; a burst of edges that has not settled after a
    /// second is a failing contact or a floating line, never a finger.
    public static let longestBurstNanoseconds: UInt64 = 1_000_000_000

    private var gestures: ButtonGestures
    private var debouncer: EdgeDebouncer?

    /// `kernelDebounced`: the kernel already debounces the line (libgpiod v2's debounce
    /// period), so edges go straight to the classifier. `heldAtStart`: the line read pressed
    /// when it was opened, at that time (see `ButtonGestures.init`).
    public init(timing: ButtonGestures.Timing, kernelDebounced: Bool, heldAtStart: UInt64? = nil) {
        gestures = ButtonGestures(timing: timing, heldSince: heldAtStart)
        debouncer = kernelDebounced ? nil : EdgeDebouncer(initiallyPressed: heldAtStart != nil)
    }

    /// An edge as the kernel stamped it (rising = pressed).
    public mutating func edge(pressed: Bool, at t: UInt64) -> [ButtonEvent] {
        guard var debouncer else { return gestures.edge(pressed: pressed, at: t) }
        var events: [ButtonEvent] = []
        if let level = debouncer.edge(pressed: pressed, at: t) {
            events += gestures.edge(pressed: level.pressed, at: level.at)
        }
        if let start = debouncer.burstStart, t &- start >= Self.longestBurstNanoseconds {
            events += gestures.chatter(at: t)
        }
        self.debouncer = debouncer
        return events
    }

    /// Time passed without an edge: what is due by `now`.
    public mutating func advance(to now: UInt64) -> [ButtonEvent] {
        var events: [ButtonEvent] = []
        if let level = debouncer?.advance(to: now) {
            events += gestures.edge(pressed: level.pressed, at: level.at)
        }
        let horizon = debouncer?.burstStart.map { min(now, $0 &- 1) } ?? now
        events += gestures.advance(to: horizon)
        return events
    }

    /// When `advance(to:)` next has something to do without another edge.
    public var nextDeadline: UInt64? {
        switch (gestures.nextDeadline, debouncer?.nextDeadline) {
        case (let a?, let b?): min(a, b)
        case (let a, let b): a ?? b
        }
    }
}
