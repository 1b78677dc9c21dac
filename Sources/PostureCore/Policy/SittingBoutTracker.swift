/// Sitting bouts and the `sitting_too_long` schedule.
///
/// A bout starts at the first sitting tick. Not-sitting ticks start a break; a break ends the
/// bout once it has lasted `sittingBreakMinimum`, and the bout then ends where the break began.
/// A shorter break neither ends nor pauses the bout: bout time is wall time since the start.
/// The nudge schedule is on the bout-time grid `after, after + repeat, …`; a nudge that falls
/// due during a short break waits until the wearer sits again (telling someone who is up to
/// get up is noise), and is dropped if the break ends the bout.
struct SittingBoutTracker: Sendable {
    /// Engine time the current bout started; `nil` between bouts.
    private(set) var start: Double?
    /// Engine time the current break began, while the wearer is up during a bout.
    private var breakSince: Double?
    /// Bout time at which `sitting_too_long` is next due.
    private var nextNudgeBoutTime = 0.0

    struct Transitions {
        var ended: SittingBout?
        var started: Double?
    }

    /// Advances to `t`. Both transitions can happen in one step when the input has a gap that
    /// spans a whole break (the previous activity is taken to have lasted until `t`).
    ///
    /// `sittingSince`: when the wearer is known to have sat down, if that is earlier than
    /// `t` (the guided calibration saw them sitting before its result reached the policy); a
    /// bout that starts now starts there.
    mutating func update(
        t: Double, isSitting: Bool, sittingSince: Double? = nil, configuration: PolicyConfiguration
    ) -> Transitions {
        var transitions = Transitions()
        if let boutStart = start {
            if !isSitting && breakSince == nil { breakSince = t }
            if let since = breakSince, t - since >= configuration.sittingBreakMinimum {
                transitions.ended = SittingBout(start: boutStart, duration: since - boutStart)
                start = nil
                breakSince = nil
            } else if isSitting {
                breakSince = nil
            }
        }
        if isSitting && start == nil {
            let begun = Swift.min(t, sittingSince ?? t)
            start = begun
            breakSince = nil
            nextNudgeBoutTime = configuration.sittingTooLongAfter
            transitions.started = begun
        }
        return transitions
    }

    /// The current bout with its duration as of `t` (counting a break in progress).
    func bout(at t: Double) -> SittingBout? {
        start.map { SittingBout(start: $0, duration: Swift.max(0, t - $0)) }
    }

    /// Whether `sitting_too_long` is due at `t`; if so, schedules the next one on the grid.
    mutating func takeDueNudge(t: Double, isSitting: Bool, configuration: PolicyConfiguration) -> Bool {
        guard isSitting, let boutStart = start else { return false }
        let boutTime = t - boutStart
        guard boutTime >= nextNudgeBoutTime else { return false }
        let first = configuration.sittingTooLongAfter
        let interval = configuration.sittingTooLongRepeatInterval
        if interval > 0 {
            // The first grid point after now, even if several were missed (input gap, deferral).
            let periodsPassed = ((boutTime - first) / interval).rounded(.down) + 1
            nextNudgeBoutTime = first + periodsPassed * interval
        } else {
            nextNudgeBoutTime = .infinity  // misconfigured: never repeat rather than every tick
        }
        return true
    }
}
