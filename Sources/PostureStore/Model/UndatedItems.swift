/// What the daemon records while the wall clock is untrusted: monotonic times, valid within
/// one boot (`bootID`, the kernel's `/proc/sys/kernel/random/boot_id`). Stored as it closes,
/// like dated data (`StoreBatch.undated`); dated in the log once the clock is trusted in that
/// boot (`StoreBatch.redate`).
public struct UndatedItems: Sendable, Equatable {
    public var minutes: [MinuteRecord] = []
    /// `time` is monotonic.
    public var events: [LogEvent] = []
    public var gaps: [MonotonicGap] = []

    public init() {}

    public var isEmpty: Bool { minutes.isEmpty && events.isEmpty && gaps.isEmpty }

    func appended(after earlier: UndatedItems) -> UndatedItems {
        var all = earlier
        all.minutes += minutes
        all.events += events
        all.gaps += gaps
        return all
    }
}

/// A gap in monotonic time, before it can be dated.
public struct MonotonicGap: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var reason: GapReason

    public init(start: Double, end: Double, reason: GapReason) {
        self.start = start
        self.end = end
        self.reason = reason
    }
}
