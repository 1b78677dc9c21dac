/// Accumulates a `DaySummary` in constant memory: O(1) per tick, no allocation after init
/// (three angle histograms of 3600 bins are allocated once).
///
/// Sitting bouts are **not** re-derived from the activity stream: they come from the policy
/// (`PolicyDecision.boutEnded`, and `NudgePolicy.currentBout` for the open one at the end), so
/// the summary and the `sitting_too_long` nudges share one definition of a bout.
///
/// Typical use, per pelvis tick:
/// ```
/// let decision = policy.step(t: t, activity: activity, angles: angles, …)
/// summary.add(dt: dt, activity: activity, isSlouching: policy.isSlouching, angles: angles)
/// summary.record(decision)
/// …
/// let day = summary.summary(openBout: policy.currentBout)
/// ```
public struct DaySummaryAccumulator: Sendable {
    private var totals = DaySummary()
    private var pelvicTilt = AngleHistogram()
    private var lumbarFlexion = AngleHistogram()
    private var pelvicObliquity = AngleHistogram()

    public init() {}

    /// One pelvis tick. `dt` is the time the tick stands for (normally the interval since the
    /// previous pelvis tick); a negative or non-finite `dt` counts as 0. Angle statistics are
    /// per tick, not weighted by `dt`, and cover every activity ("angles over the day").
    public mutating func add(dt: Double, activity: Activity, isSlouching: Bool, angles: SegmentAngles) {
        let seconds = dt.isFinite && dt > 0 ? dt : 0
        totals.durationSeconds += seconds
        switch activity {
        case .sitting: totals.sittingSeconds += seconds
        case .standing: totals.standingSeconds += seconds
        case .walking: totals.walkingSeconds += seconds
        case .lying: totals.lyingSeconds += seconds
        }
        if isSlouching { totals.slouchSeconds += seconds }
        pelvicTilt.add(angles.pelvicTilt)
        pelvicObliquity.add(angles.pelvicObliquity)
        if let flexion = angles.lumbarFlexion { lumbarFlexion.add(flexion) }
    }

    /// Records a delivered nudge.
    public mutating func recordNudge(_ reason: NudgeReason) { totals.nudges[reason] += 1 }

    /// Records a suppressed nudge.
    public mutating func recordSuppressed(_ nudge: SuppressedNudge) { totals.suppressedNudges[nudge.cause] += 1 }

    /// Records a finished sitting bout.
    public mutating func recordBout(_ bout: SittingBout) {
        totals.longestSittingBoutSeconds = Swift.max(totals.longestSittingBoutSeconds, bout.duration)
    }

    /// Adds `count` steps (the summary's `steps` stays `nil` until this is called).
    public mutating func recordSteps(_ count: Int) { totals.steps = (totals.steps ?? 0) + Swift.max(0, count) }

    /// Records what a policy step decided: its nudge, suppressed nudge and finished bout.
    public mutating func record(_ decision: PolicyDecision) {
        if let reason = decision.nudge { recordNudge(reason) }
        if let suppressed = decision.suppressed { recordSuppressed(suppressed) }
        if let bout = decision.boutEnded { recordBout(bout) }
    }

    /// The summary so far. `openBout` is a bout still in progress (`NudgePolicy.currentBout`),
    /// counted towards the longest bout. O(histogram bins): call it at the end, not per tick.
    public func summary(openBout: SittingBout? = nil) -> DaySummary {
        var summary = totals
        if let openBout {
            summary.longestSittingBoutSeconds = Swift.max(summary.longestSittingBoutSeconds, openBout.duration)
        }
        summary.pelvicTilt = pelvicTilt.statistics
        summary.lumbarFlexion = lumbarFlexion.statistics
        summary.pelvicObliquity = pelvicObliquity.statistics
        return summary
    }
}
