/// What one button means, told apart from its edges alone (no I/O here: the button thread
/// feeds it the kernel's edge timestamps and asks it when to look again).
public enum ButtonEvent: String, Sendable, Equatable, CaseIterable {
    /// Pressed and released once, and no second press followed within the double-press window.
    case short
    /// Held for the long-press time: fired at that moment, while still held, so the wearer
    /// feels the answer without guessing when to let go.
    case long
    /// A second press began within the double-press window after a short press.
    case double
    /// Held far longer than anyone presses a button: a stuck key or a shorted line. Reported
    /// once; the button is ignored until it is released.
    case stuck
    /// Erratic: more edges a second than fingers make, a contact that never settles, or more
    /// presses in half a minute than a wearer makes (a failing contact or a floating line).
    /// Reported once; the button is ignored until it has been quiet for a while.
    case bouncing
    /// A stuck or bouncing button works again (released; quiet).
    case recovered
}

/// The press classifier: debounced edges (pressed or released, at monotonic nanoseconds) in,
/// `ButtonEvent`s out. Time only moves through the edges' timestamps and `advance(to:)`, so
/// the tests drive it with exact numbers and the daemon with `CLOCK_MONOTONIC` (the clock of
/// the kernel's edge events).
public struct ButtonGestures: Sendable {
    public struct Timing: Sendable, Equatable {
        /// Held this long is a long press. Two seconds: longer than any deliberate click
        /// (a few hundred ms), short enough not to feel like waiting.
        public var longPressNanoseconds: UInt64
        /// A second press within this time after the first one's release makes a double
        /// press. 400 ms is about the desktop's double-click default; it is also how long a
        /// short press waits before it counts (it might become a double).
        public var doublePressWindowNanoseconds: UInt64
        /// Held this long is stuck, not pressed: five long presses' worth.
        public var stuckNanoseconds: UInt64
        /// More than this many edges within one second is bouncing: a finger manages about
        /// five presses (ten edges) a second; a bad contact or a floating input makes far more.
        public var bouncingEdgesPerSecond: Int
        /// A bouncing button is listened to again after this much quiet.
        public var bouncingQuietNanoseconds: UInt64
        /// More than `gesturesPerWindow` presses (short, long or double) within
        /// `gestureWindowNanoseconds` is erratic, not a wearer: snooze, resume and "am I
        /// tracked?" are asked for a few times an hour. Six in 30 s is already a wearer
        /// playing with it; a floating line that settles every half second makes one a second.
        public var gesturesPerWindow: Int
        public var gestureWindowNanoseconds: UInt64

        public static let standard = Timing(longPressSeconds: 2, doublePressWindowSeconds: 0.4)

        public init(
            longPressSeconds: Double, doublePressWindowSeconds: Double, stuckSeconds: Double = 10,
            bouncingEdgesPerSecond: Int = 20, bouncingQuietSeconds: Double = 5, gesturesPerWindow: Int = 6,
            gestureWindowSeconds: Double = 30
        ) {
            longPressNanoseconds = Self.nanoseconds(longPressSeconds)
            doublePressWindowNanoseconds = Self.nanoseconds(doublePressWindowSeconds)
            stuckNanoseconds = max(Self.nanoseconds(stuckSeconds), longPressNanoseconds + 1)
            self.bouncingEdgesPerSecond = max(2, bouncingEdgesPerSecond)
            bouncingQuietNanoseconds = Self.nanoseconds(bouncingQuietSeconds)
            self.gesturesPerWindow = max(1, gesturesPerWindow)
            gestureWindowNanoseconds = Self.nanoseconds(gestureWindowSeconds)
        }

        private static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
    }

    private enum State: Equatable {
        case idle
        /// Down since `since`; `answered` once a long press or a double has fired for it.
        case down(since: UInt64, answered: Bool)
        /// A short press ended at `releasedAt`: a second press may still make it a double.
        case released(at: UInt64)
        /// Held past the stuck time: ignored until released.
        case stuck
        /// Too many edges: ignored until quiet since `lastEdge`.
        case bouncing(lastEdge: UInt64)
    }

    public let timing: Timing
    private var state = State.idle
    /// The last edges' times, newest last, at most `bouncingEdgesPerSecond + 1` of them.
    private var recentEdges: [UInt64] = []
    /// The last gestures' times, newest last, at most `gesturesPerWindow + 1` of them.
    private var recentGestures: [UInt64] = []

    /// `heldSince`: the line already read pressed when it was opened (a stuck key, or
    /// active_low set the wrong way round): held from then, with no long press to fire, so
    /// it is reported stuck, not taken for a press when it is let go.
    public init(timing: Timing = .standard, heldSince: UInt64? = nil) {
        self.timing = timing
        recentEdges.reserveCapacity(timing.bouncingEdgesPerSecond + 1)
        recentGestures.reserveCapacity(timing.gesturesPerWindow + 1)
        if let heldSince { state = .down(since: heldSince, answered: true) }
    }

    /// Edges that never settle (the debouncer's burst has gone on too long to be a finger):
    /// erratic from `t`, reported once; further calls keep it ignored.
    public mutating func chatter(at t: UInt64) -> [ButtonEvent] {
        if case .bouncing(let lastEdge) = state {
            state = .bouncing(lastEdge: max(lastEdge, t))
            return []
        }
        state = .bouncing(lastEdge: t)
        return [.bouncing]
    }

    /// A debounced edge. Edges must come in time order (the kernel's are).
    public mutating func edge(pressed: Bool, at t: UInt64) -> [ButtonEvent] {
        var events = advance(to: t)
        if case .bouncing(let lastEdge) = state {
            state = .bouncing(lastEdge: max(lastEdge, t))
            return events
        }
        if isStorm(adding: t) {
            state = .bouncing(lastEdge: t)
            return events + [.bouncing]
        }
        switch (state, pressed) {
        case (.idle, true):
            state = .down(since: t, answered: false)
        case (.released, true):
            state = .down(since: t, answered: true)
            events.append(answer(.double, at: t))
        case (.down(_, let answered), false):
            state = answered ? .idle : .released(at: t)
        case (.stuck, false):
            state = .idle
            events.append(.recovered)
        default:
            break  // a release while idle (held at start), or a repeated level: nothing to say
        }
        return events
    }

    /// Time passed without an edge: fires what is due by `now` (a long press, a short one
    /// whose double-press window closed, stuck, quiet after bouncing).
    public mutating func advance(to now: UInt64) -> [ButtonEvent] {
        switch state {
        case .down(let since, let answered):
            var events: [ButtonEvent] = []
            if !answered, now >= since &+ timing.longPressNanoseconds {
                state = .down(since: since, answered: true)
                events.append(answer(.long, at: since &+ timing.longPressNanoseconds))
                if case .bouncing = state { return events }
            }
            if now >= since &+ timing.stuckNanoseconds {
                events.append(.stuck)
                state = .stuck
            }
            return events
        case .released(let at) where now >= at &+ timing.doublePressWindowNanoseconds:
            state = .idle
            return [answer(.short, at: at &+ timing.doublePressWindowNanoseconds)]
        case .bouncing(let lastEdge) where now >= lastEdge &+ timing.bouncingQuietNanoseconds:
            state = .idle
            recentEdges.removeAll(keepingCapacity: true)
            return [.recovered]
        default:
            return []
        }
    }

    /// When `advance(to:)` next has something to fire, if ever without another edge: the
    /// button thread waits for an edge at most until then.
    public var nextDeadline: UInt64? {
        switch state {
        case .down(let since, let answered):
            since &+ (answered ? timing.stuckNanoseconds : timing.longPressNanoseconds)
        case .released(let at): at &+ timing.doublePressWindowNanoseconds
        case .bouncing(let lastEdge): lastEdge &+ timing.bouncingQuietNanoseconds
        case .idle, .stuck: nil
        }
    }

    /// `gesture`, or `.bouncing` (and ignored from now) if it is one more than a wearer makes
    /// within the gesture window.
    private mutating func answer(_ gesture: ButtonEvent, at t: UInt64) -> ButtonEvent {
        if recentGestures.count > timing.gesturesPerWindow { recentGestures.removeFirst() }
        recentGestures.append(t)
        guard recentGestures.count > timing.gesturesPerWindow, let first = recentGestures.first,
            t &- first < timing.gestureWindowNanoseconds
        else { return gesture }
        recentGestures.removeAll(keepingCapacity: true)
        state = .bouncing(lastEdge: t)
        return .bouncing
    }

    /// Whether `t` makes more than the allowed edges within one second.
    private mutating func isStorm(adding t: UInt64) -> Bool {
        if recentEdges.count > timing.bouncingEdgesPerSecond { recentEdges.removeFirst() }
        recentEdges.append(t)
        guard recentEdges.count > timing.bouncingEdgesPerSecond, let first = recentEdges.first else { return false }
        return t &- first < 1_000_000_000
    }
}

/// Software debounce, where the kernel cannot (libgpiod v1; chips whose interrupts the
/// kernel's debouncer cannot attach to): a level counts once no edge has followed it for
/// `periodNanoseconds`, stamped with the first edge of its burst, so a press is timed from
/// the finger, not from the end of the contact's chatter.
public struct EdgeDebouncer: Sendable {
    /// 20 ms: tactile switches settle within 5–10 ms; a human press lasts 50 ms or more.
    public static let standardPeriodNanoseconds: UInt64 = 20_000_000

    public let periodNanoseconds: UInt64
    private var stable = false
    private var pending: (pressed: Bool, firstEdge: UInt64, lastEdge: UInt64)?

    /// `initiallyPressed`: the level the line was read at when opened.
    public init(periodNanoseconds: UInt64 = standardPeriodNanoseconds, initiallyPressed: Bool = false) {
        self.periodNanoseconds = periodNanoseconds
        stable = initiallyPressed
    }

    /// A raw edge; returns a settled level first if the previous burst had settled.
    public mutating func edge(pressed: Bool, at t: UInt64) -> (pressed: Bool, at: UInt64)? {
        let settled = advance(to: t)
        if let burst = pending {
            pending = (pressed, burst.firstEdge, t)
        } else {
            pending = (pressed, t, t)
        }
        return settled
    }

    /// The settled level, if the burst in progress has been quiet for the period by `now`
    /// and ended at a level other than the last settled one.
    public mutating func advance(to now: UInt64) -> (pressed: Bool, at: UInt64)? {
        guard let burst = pending, now >= burst.lastEdge &+ periodNanoseconds else { return nil }
        pending = nil
        guard burst.pressed != stable else { return nil }
        stable = burst.pressed
        return (burst.pressed, burst.firstEdge)
    }

    public var nextDeadline: UInt64? { pending.map { $0.lastEdge &+ periodNanoseconds } }

    /// The first edge of the burst not yet settled: the level it settles to will be stamped
    /// with this time, so nothing may be classified past it meanwhile.
    public var burstStart: UInt64? { pending?.firstEdge }
}
