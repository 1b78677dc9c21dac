/// The upright-sitting calibration pose: the reference that slouch thresholds are measured from.
public struct SittingReference: Sendable, Equatable {
    /// `pelvic_tilt` when sitting upright, degrees (typically −15° to −20°).
    public var pelvicTilt: Double
    /// `lumbar_flexion` when sitting upright, degrees; `nil` without sensor 1.
    public var lumbarFlexion: Double?

    public init(pelvicTilt: Double, lumbarFlexion: Double?) {
        self.pelvicTilt = pelvicTilt
        self.lumbarFlexion = lumbarFlexion
    }
}

/// Why a due nudge was not delivered. When several apply, the first listed is reported.
public enum SuppressionCause: String, Sendable, Codable, CaseIterable {
    /// The wearer (or `posturectl`) snoozed nudges.
    case snoozed
    /// The local time of day is in a configured quiet-hours range.
    case quietHours = "quiet_hours"
    /// The daily cap of delivered nudges was reached.
    case dailyCap = "daily_cap"
}

/// A nudge that was due but not delivered. Its repeat timer advanced as if it had fired.
public struct SuppressedNudge: Sendable, Equatable {
    public var reason: NudgeReason
    public var cause: SuppressionCause

    public init(reason: NudgeReason, cause: SuppressionCause) {
        self.reason = reason
        self.cause = cause
    }
}

/// A sitting bout: from the first sitting tick until the wearer got up for good.
public struct SittingBout: Sendable, Equatable {
    /// Engine time the wearer sat down.
    public var start: Double
    /// Bout time, seconds. Interruptions shorter than the break minimum count as bout time; the
    /// break that ended the bout does not.
    public var duration: Double

    public init(start: Double, duration: Double) {
        self.start = start
        self.duration = duration
    }
}

/// A slouch was confirmed or ended during this step.
public enum SlouchChange: Sendable, Equatable {
    /// The hold was met: the slouch is confirmed (and `isSlouching` is now true).
    /// `onset` is when the posture first crossed the threshold, `hold` or more seconds ago.
    case started(onset: Double)
    /// The slouch is over: `end` is when the recovery began (the grace period is not slouch
    /// time) or, if the wearer stopped sitting, the time of that step.
    case ended(onset: Double, end: Double)
}

/// What one `NudgePolicy.step` decided. All fields are `nil` on most steps.
public struct PolicyDecision: Sendable, Equatable {
    /// The nudge to deliver now, at most one per step.
    public var nudge: NudgeReason?
    /// How strongly to give it (or the suppressed nudge, had it been delivered): `full` unless
    /// fading feedback chose the gentle cue.
    public var nudgeIntensity: NudgeIntensity = .full
    /// A nudge that was due now but suppressed, with its cause, for the day log.
    public var suppressed: SuppressedNudge?
    /// A slouch confirmed or ended in this step.
    public var slouchChange: SlouchChange?
    /// A sitting bout that ended in this step (reported once the break minimum has elapsed, so
    /// up to that long after the wearer got up).
    public var boutEnded: SittingBout?
    /// Engine time of a sitting bout that started in this step. Can come with `boutEnded` in
    /// the same step when a gap in the input spans a whole break.
    public var boutStarted: Double?

    /// Nothing happened.
    public static let empty = PolicyDecision()

    public init(
        nudge: NudgeReason? = nil, suppressed: SuppressedNudge? = nil, slouchChange: SlouchChange? = nil,
        boutEnded: SittingBout? = nil, boutStarted: Double? = nil
    ) {
        self.nudge = nudge
        self.suppressed = suppressed
        self.slouchChange = slouchChange
        self.boutEnded = boutEnded
        self.boutStarted = boutStarted
    }
}
