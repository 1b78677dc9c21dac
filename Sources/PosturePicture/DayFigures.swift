public import PostureCore
public import PostureStore

/// How long the wearer took to correct after one nudge.
public struct NudgeCorrection: Sendable, Equatable {
    public var reason: NudgeReason
    /// UTC seconds.
    public var time: Double
    /// Seconds from the nudge to the correction; nil when the day's data ends first.
    public var correctedAfter: Double?
}

/// The figures of a day's summary cards, from the report and the day's events, each with one
/// definition (the text and JSON of `report --week` use the same ones):
/// - upright share: sitting time not slouched over sitting time (slouch episodes are sitting);
/// - a `slouch` nudge is corrected when its slouch episode ends (`slouch_end`'s end, not the
///   moment the grace period confirmed it); a `sitting_too_long` nudge when its bout ends (the
///   wearer got up: `bout_end`'s start plus duration, not the minute of break that confirms it);
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
        let slouchEnds = dayEvents.filter { $0.kind == .slouchEnd }
            .compactMap { event in event.number("end_offset_s").map { (logged: event.time, end: event.time + $0) } }
        corrections = dayEvents.filter { $0.kind == .nudge }.compactMap { event in
            guard let reason = event.string("reason").flatMap(NudgeReason.init(rawValue:)) else { return nil }
            let corrected: Double?
            switch reason {
            case .slouch: corrected = slouchEnds.first { $0.logged >= event.time }?.end
            case .sittingTooLong: corrected = bouts.first { $0.logged >= event.time }?.end
            }
            return NudgeCorrection(reason: reason, time: event.time, correctedAfter: corrected.map { max(0, $0 - event.time) })
        }
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

/// A sitting bout as its `bout_end` event records it.
struct FinishedBout: Sendable, Equatable {
    /// When the event was written (a break minimum after the wearer got up).
    var logged: Double
    var start: Double
    var duration: Double
    var end: Double { start + duration }

    init?(event: LogEvent) {
        guard event.kind == .boutEnd, let duration = event.number("duration_s") else { return nil }
        logged = event.time
        start = event.time + (event.number("start_offset_s") ?? -duration)
        self.duration = duration
    }
}
