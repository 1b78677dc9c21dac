/// The time source of the pattern player, injectable so tests run patterns instantly and see
/// exact step times. Time is a `Duration` since an arbitrary origin, like CLOCK_MONOTONIC.
public protocol PatternClock: Sendable {
    func now() -> Duration
    /// Blocks the calling thread (the player's own) until `now() >= deadline`; returns at once
    /// if the deadline has passed.
    func sleep(until deadline: Duration)
}

/// The real clock: CLOCK_MONOTONIC, sleeping to absolute deadlines so steps never drift and a
/// wall-clock jump (NTP setting the time on a Pi without RTC) cannot stretch a pulse.
public struct MonotonicPatternClock: PatternClock {
    public init() {}

    public func now() -> Duration { Syscalls.monotonicNow() }

    public func sleep(until deadline: Duration) { Syscalls.sleepUntilMonotonic(deadline) }
}
