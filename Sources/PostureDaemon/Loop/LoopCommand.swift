public import PostureCore

/// What the supervisor may tell the sampling thread, through the `commands` ring; the loop
/// polls it once per tick.
public enum LoopCommand: Sendable {
    /// Suppress nudges until this engine time (`LoopReport.t` scale).
    case snooze(until: Double)
    case resume
    /// A new calibration; from a guided `posturectl calibrate`, with the start of the sitting
    /// pose it captured (engine time), when the wearer is known to be sitting since.
    case setCalibration(Calibration, sittingSince: Double? = nil)
    /// New policy tunables (a config reload). The replaced value is handed back to the
    /// supervisor (`SamplingLoop.drainReports` releases it) so no memory is freed on the loop.
    case setPolicy(PolicyConfiguration)
    /// Today's feedback level (fading feedback), computed by the supervisor from the day log
    /// at start-up and at local midnight: a small value, nothing to free on the loop.
    case setFeedbackLevel(FeedbackLevel)
    /// Local time of day = (engine time + offset) mod 86 400 s; `nil` while the wall clock is
    /// not trusted. The supervisor computes it (time zones need libc calls that lock and
    /// allocate) and sends it when the clock becomes trusted and after DST or zone changes.
    case setLocalTimeOffset(Double?)
    /// Ends the loop after the current tick.
    case stop
}
