import CPostureShim

/// CLOCK_MONOTONIC, in integer nanoseconds (no drift from floating-point accumulation).
public enum MonotonicClock {
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    @inline(__always) public static func nowNanoseconds() -> Int64 { posture_monotonic_ns() }

    /// Sleeps until `deadline` (absolute, CLOCK_MONOTONIC), restarting on signals; returns at
    /// once for a deadline already past.
    @inline(__always) public static func sleep(untilNanoseconds deadline: Int64) {
        _ = posture_sleep_until_ns(deadline)
    }

    @inline(__always) public static func seconds(_ nanoseconds: Int64) -> Double {
        Double(nanoseconds) / Double(nanosecondsPerSecond)
    }
}
