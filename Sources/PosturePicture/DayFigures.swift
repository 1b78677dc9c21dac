public import PostureCore
public import PostureStore

/// The figures of a day's summary cards, from the report and the day's events, each with one
/// definition (the text and JSON of `report --week` use the same ones):
/// - upright share: sitting time not slouched over sitting time (slouch episodes are sitting);
/// - a nudge's time to correct: `NudgeCorrection` (PostureStore), shared with fading feedback;
/// - a bout is over the break limit when it lasted `sitting_too_long_after_s` or more (the
///   policy's own limit, in force that day); only finished bouts (`bout_end`) are counted.
public struct DayFigures: Sendable, Equatable {
    public var totals: DayTotals
    public var corrections: [NudgeCorrection]
    /// Finished bouts of at least `breakLimitSeconds`.
    public var boutsOverBreakLimit: Int
    public var breakLimitSeconds: Double

    public init(report: DayReport, events: [LogEvent], policy: PolicyConfiguration) {
        totals = DayTotals(report)
        breakLimitSeconds = policy.sittingTooLongAfter
        let dayEvents = events.filter { report.range.contains($0.time) }.sorted { $0.time < $1.time }
        let bouts = dayEvents.compactMap(FinishedBout.init(event:))
        boutsOverBreakLimit = bouts.filter { $0.duration >= policy.sittingTooLongAfter }.count
        corrections = NudgeCorrection.corrections(in: dayEvents)
    }

    /// The median seconds to correct after nudges of `reason`, of those corrected; nil if none.
    public func medianCorrection(_ reason: NudgeReason) -> Double? {
        let times = corrections.filter { $0.reason == reason }.compactMap(\.correctedAfter).sorted()
        guard !times.isEmpty else { return nil }
        let middle = times.count / 2
        return times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
    }

    public func uncorrected(_ reason: NudgeReason) -> Int {
        corrections.filter { $0.reason == reason && $0.correctedAfter == nil }.count
    }
}
