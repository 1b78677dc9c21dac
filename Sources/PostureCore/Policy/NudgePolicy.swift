/// The nudge policy: slouch detection, sitting bouts, and when to nudge.
///
/// Feed it one `step` per pelvis tick, in nondecreasing engine time. Each step is O(1) and does
/// not allocate (quiet hours are scanned, only when a nudge is due).
///
/// Rules (defaults in `PolicyConfiguration`):
/// - **Slouch**: see `SlouchDetector`: a threshold crossing held for `slouchHold` (brief returns
///   shorter than `slouchRecoveryGrace` don't reset it) is confirmed and nudged at once, then
///   every `slouchRepeatInterval` while it lasts. Only evaluated while sitting: a slouch in
///   progress, candidate or confirmed, is abandoned when the wearer stops sitting.
/// - **Sitting bout**: see `SittingBoutTracker`: `sitting_too_long` at `sittingTooLongAfter` of
///   bout time, then every `sittingTooLongRepeatInterval`; only delivered while sitting.
/// - **One nudge per step.** If both are due in the same step, `sitting_too_long` wins (getting
///   up also ends the slouch) and the slouch nudge is coalesced into it: its timer advances and
///   it is neither delivered nor counted as suppressed.
/// - **Feedback** (`FeedbackSettings`, `FeedbackLevel`): in `constant` mode every nudge is
///   full, as above. In `fading` mode a nudge starts as a gentle cue and escalates to the full
///   pattern `escalationDelay` later if the slouch (or the sitting) is still there; at feedback
///   levels above 0 the slouch nudge waits longer (`FeedbackLevel.slouchNudgeDelay`) and stays
///   gentle. The slouch itself is confirmed and logged at the configured hold at every level,
///   so the day log's slouch time means the same thing whatever the level.
/// - **Suppression** (snooze, then quiet hours, then the daily cap) applies to every nudge.
///   A suppressed nudge advances its repeat timer as if it had fired, so the end of a snooze or
///   of quiet hours never releases a burst; the next nudge comes at the next repeat. Suppressed
///   nudges are counted per cause in `suppressedToday` and reported in the step's decision.
public struct NudgePolicy: Sendable {
    // `var` only for `reconfigure(_:)`.
    public private(set) var configuration: PolicyConfiguration

    private var slouch = SlouchDetector()
    private var bouts = SittingBoutTracker()
    private var gate = NudgeGate()
    /// Engine time the next `slouch` nudge is due, while a slouch is confirmed.
    private var nextSlouchNudgeAt = Double.infinity
    /// The intensity of that nudge (always `full` in constant mode).
    private var nextSlouchIntensity = NudgeIntensity.full
    /// Fading mode: engine time the full `sitting_too_long` follows its gentle cue, and the
    /// start of the bout it belongs to (a new bout cancels it).
    private var boutEscalationAt = Double.infinity
    private var boutEscalationBoutStart = -Double.infinity
    /// Today's feedback level (fading mode); set by the daemon once a day.
    public private(set) var feedbackLevel = FeedbackLevel.full
    /// Time of the last accepted step.
    private var lastT = -Double.infinity

    public init(configuration: PolicyConfiguration = .standard) {
        self.configuration = configuration
    }

    // MARK: State

    /// A slouch is confirmed (hold met) and not yet recovered from.
    public var isSlouching: Bool { slouch.isConfirmed }

    /// The sitting bout in progress as of the last step, with its duration so far (a short
    /// break in progress counts as bout time); `nil` between bouts.
    public var currentBout: SittingBout? { bouts.bout(at: lastT) }

    /// Nudges delivered since `init` or the last `startNewDay()`.
    public var nudgesToday: Int { gate.deliveredToday }

    /// Nudges suppressed since `init` or the last `startNewDay()`, per cause.
    public var suppressedToday: SuppressionCounts { gate.suppressedToday }

    /// Engine time the current snooze ends, `nil` if none was set. A time in the past means
    /// the snooze is over.
    public var snoozedUntil: Double? { gate.snoozedUntil }

    // MARK: Commands

    /// Suppresses every nudge due before `until` (engine time). Replaces any earlier snooze,
    /// so it can also shorten one.
    public mutating func snooze(until: Double) { gate.snoozedUntil = until }

    /// Snoozes from `now` for `duration`, or for `configuration.defaultSnoozeDuration`.
    public mutating func snooze(now: Double, duration: Double? = nil) {
        snooze(until: now + (duration ?? configuration.defaultSnoozeDuration))
    }

    /// Ends a snooze early.
    public mutating func resume() { gate.snoozedUntil = nil }

    /// New tunables from now on (a config reload); slouch, bout, snooze and daily counts carry
    /// over, and timers already running keep their due times until they next fire.
    public mutating func reconfigure(_ configuration: PolicyConfiguration) {
        self.configuration = configuration
        setFeedbackLevel(feedbackLevel)  // a lower fading_max_level applies at once
        if !isFading {
            // Back to constant: no gentle cue or pending escalation from fading mode survives.
            nextSlouchIntensity = .full
            boutEscalationAt = .infinity
        }
    }

    /// Resets the daily cap and the daily counts. The engine calls it at local midnight, once
    /// the wall clock is trusted; slouch and bout state carry over (a bout can span midnight).
    public mutating func startNewDay() { gate.startNewDay() }

    /// Today's feedback level from `FeedbackSchedule` (clamped to `maxLevel`); no effect on
    /// nudging in constant mode. A slouch in progress keeps the due time of its next nudge.
    public mutating func setFeedbackLevel(_ level: FeedbackLevel) {
        feedbackLevel = FeedbackLevel(Swift.min(level.value, configuration.feedback.maxLevel))
    }

    private var isFading: Bool { configuration.feedback.mode == .fading }

    // MARK: Step

    /// Advances the policy to engine time `t` (seconds, monotonic).
    ///
    /// - Parameters:
    ///   - activity: what the wearer is doing now.
    ///   - angles: the segment angles now; slouch criteria use only pelvic tilt and lumbar flexion.
    ///   - sittingReference: the upright-sitting calibration pose.
    ///   - localTimeOfDay: seconds after local midnight, or `nil` while the wall clock is not
    ///     trusted (a Pi has no RTC): quiet hours then cannot apply and nudges are delivered.
    ///   - sittingSince: when the wearer is known to have sat down, if before `t`; a sitting
    ///     bout that starts on this step starts there (see `SittingBoutTracker.update`).
    /// - Returns: what happened. A step with non-finite `t` or `t` earlier than the previous
    ///   step is ignored (`.empty`), so a clock glitch cannot rewind timers.
    public mutating func step(
        t: Double, activity: Activity, angles: SegmentAngles, sittingReference: SittingReference,
        localTimeOfDay: Double?, sittingSince: Double? = nil
    ) -> PolicyDecision {
        guard t.isFinite, t >= lastT else { return .empty }
        lastT = t
        var decision = PolicyDecision()
        let isSitting = activity == .sitting

        let transitions = bouts.update(t: t, isSitting: isSitting, sittingSince: sittingSince, configuration: configuration)
        decision.boutEnded = transitions.ended
        decision.boutStarted = transitions.started

        if isSitting {
            let zone = SlouchZone(angles: angles, reference: sittingReference, configuration: configuration)
            decision.slouchChange = slouch.update(t: t, zone: zone, configuration: configuration)
        } else {
            decision.slouchChange = slouch.abandon(t: t)
        }
        if case .started(let onset) = decision.slouchChange {
            if isFading {
                let delay = feedbackLevel.slouchNudgeDelay(hold: configuration.slouchHold)
                nextSlouchNudgeAt = Swift.max(t, onset + delay)
                nextSlouchIntensity = .gentle
            } else {
                nextSlouchNudgeAt = t
                nextSlouchIntensity = .full
            }
        }

        let bout = takeDueBoutNudge(t: t, isSitting: isSitting)
        // In fading mode a cue waits while the wearer is already sitting back up (the recovery
        // grace): "the full pattern only if the slouch is still there". Constant mode as before.
        let slouchDue: NudgeIntensity? =
            slouch.isConfirmed && t >= nextSlouchNudgeAt && !(isFading && slouch.isRecovering) ? nextSlouchIntensity : nil
        if let intensity = slouchDue { scheduleNextSlouchNudge(after: intensity, t: t) }
        // One nudge per step: getting up also ends the slouch, so the bout's nudge wins.
        let due: (reason: NudgeReason, intensity: NudgeIntensity)? =
            bout.map { (.sittingTooLong, $0) } ?? slouchDue.map { (.slouch, $0) }
        if let due {
            let outcome = gate.admit(due.reason, t: t, localTimeOfDay: localTimeOfDay, configuration: configuration)
            decision.nudge = outcome.delivered
            decision.nudgeIntensity = due.intensity
            decision.suppressed = outcome.suppressed
            if outcome.suppressed != nil, due.intensity == .gentle { skipEscalation(of: due.reason, t: t) }
        }
        return decision
    }

    /// A gentle cue was suppressed (snooze, quiet hours, cap): the wearer never felt it, so no
    /// full pattern follows it; the next nudge is the next repeat, starting gently again.
    private mutating func skipEscalation(of reason: NudgeReason, t: Double) {
        switch reason {
        case .sittingTooLong:
            boutEscalationAt = .infinity
        case .slouch:
            nextSlouchNudgeAt = Self.nextRepeat(after: t, every: configuration.slouchRepeatInterval, now: t)
            nextSlouchIntensity = .gentle
        }
    }

    /// Whether a `sitting_too_long` nudge is due now, and how strong. In fading mode the
    /// tracker's nudge is a gentle cue and the full one follows `escalationDelay` later if the
    /// wearer is sitting then, in the same bout; standing up at that moment cancels it.
    private mutating func takeDueBoutNudge(t: Double, isSitting: Bool) -> NudgeIntensity? {
        if bouts.takeDueNudge(t: t, isSitting: isSitting, configuration: configuration) {
            guard isFading, let start = bouts.start else { return .full }
            boutEscalationAt = t + configuration.feedback.escalationDelay
            boutEscalationBoutStart = start
            return .gentle
        }
        guard t >= boutEscalationAt else { return nil }
        boutEscalationAt = .infinity
        return isSitting && bouts.start == boutEscalationBoutStart ? .full : nil
    }

    /// After a slouch nudge of `intensity` fell due at `t`: the full pattern `escalationDelay`
    /// after a gentle cue at level 0, else the next repeat (full at level 0 and in constant
    /// mode, gentle above level 0).
    private mutating func scheduleNextSlouchNudge(after intensity: NudgeIntensity, t: Double) {
        if isFading && intensity == .gentle && feedbackLevel.slouchEscalates {
            nextSlouchNudgeAt = t + configuration.feedback.escalationDelay
            nextSlouchIntensity = .full
            return
        }
        nextSlouchNudgeAt = Self.nextRepeat(after: nextSlouchNudgeAt, every: configuration.slouchRepeatInterval, now: t)
        nextSlouchIntensity = !isFading || feedbackLevel.slouchEscalates ? .full : .gentle
    }

    /// The repeat after `due`, or one `interval` after `now` if input gaps skipped past it
    /// (never a catch-up burst). A non-positive interval never repeats.
    private static func nextRepeat(after due: Double, every interval: Double, now: Double) -> Double {
        guard interval > 0 else { return .infinity }
        let next = due + interval
        return next > now ? next : now + interval
    }
}
