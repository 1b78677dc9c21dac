/// Scenario time for simulated sensors: `now` is what the simulated chips and the wearer see.
///
/// The sampling loop drives it: at each wake it advances scenario time to
/// `speed` × (elapsed CLOCK_MONOTONIC time), in whole sample (or FIFO batch) periods, setting
/// `now` before each read. So `--speed 600` runs a 3 h workday in 18 s of real time, every
/// sample still going through the real driver code, and at `speed` 1 it is real time.
///
/// Owned by the loop thread (the simulated bus reads it on every transaction), so not `Sendable`.
public final class VirtualClock {
    /// Scenario seconds per real second (> 0).
    public let speed: Double
    /// Scenario time, seconds.
    public var now: Double

    public init(speed: Double = 1, start: Double = 0) {
        self.speed = speed > 0 && speed.isFinite ? speed : 1
        now = start
    }
}

/// How the loop turns wake-ups into engine time.
public enum LoopTimeBase {
    /// Real sensors: engine time is CLOCK_MONOTONIC seconds.
    case monotonic
    /// Simulated sensors: engine time is scenario time, advanced by the loop (see `VirtualClock`).
    case virtual(VirtualClock)
}
