public import PostureCore
public import PostureStore

/// What the day chart shows, in UTC seconds and degrees, before any drawing: built from the day
/// log alone, so a test can rebuild each piece from the log and compare.
public struct DayTimeline: Sendable {
    /// A stretch of time, UTC seconds.
    public struct Span: Sendable, Equatable {
        public var start: Double
        public var end: Double
    }

    /// Consecutive minutes whose most-observed activity is the same.
    public struct ActivityRun: Sendable, Equatable {
        public var activity: Activity
        public var span: Span
    }

    /// One minute's angle: its mean and range, at the middle of the minute.
    public struct AnglePoint: Sendable, Equatable {
        public var time: Double
        public var mean: Double
        public var min: Double
        public var max: Double
    }

    /// The hours drawn: whole local hours around everything recorded; nil when nothing was.
    public var axis: Span?
    public var activityRuns: [ActivityRun]
    public var gaps: [LogGap]
    /// Runs of consecutive minutes with an angle: a curve is broken where minutes are missing.
    public var pelvicTilt: [[AnglePoint]]
    public var lumbarFlexion: [[AnglePoint]]
    public var nudges: [(time: Double, reason: NudgeReason)]
    /// Finished sitting bouts of at least the break limit.
    public var longBouts: [Span]
    public var quietHours: [Span]
    public var snoozes: [Span]

    public init(report: DayReport, minutes: [DatedMinute], events: [LogEvent], policy: PolicyConfiguration, zone: LocalTimeZone) {
        let day = report.range
        let dayMinutes = minutes.filter { day.contains(Double($0.startUnix)) }.sorted { $0.startUnix < $1.startUnix }
        let dayEvents = events.filter { day.contains($0.time) }.sorted { $0.time < $1.time }
        gaps = report.gaps
        activityRuns = Self.runs(dayMinutes)
        pelvicTilt = Self.curves(dayMinutes) { $0.pelvicTilt }
        lumbarFlexion = Self.curves(dayMinutes) { $0.lumbarFlexion }
        nudges = dayEvents.compactMap { event in
            guard event.kind == .nudge, let reason = event.string("reason").flatMap(NudgeReason.init(rawValue:)) else { return nil }
            return (event.time, reason)
        }
        longBouts = dayEvents.compactMap(FinishedBout.init(event:))
            .filter { $0.duration >= policy.sittingTooLongAfter }
            .map { Span(start: max(day.lowerBound, $0.start), end: min(day.upperBound, $0.end)) }

        let recordedEnd = max(
            dayMinutes.last.map { Double($0.startUnix) + 60 } ?? -Double.infinity,
            dayEvents.last?.time ?? -Double.infinity, gaps.map(\.end).max() ?? -Double.infinity)
        let recordedStart = min(
            dayMinutes.first.map { Double($0.startUnix) } ?? Double.infinity,
            dayEvents.first?.time ?? Double.infinity, gaps.map(\.start).min() ?? Double.infinity)
        snoozes = Self.snoozes(dayEvents, until: recordedEnd)
        if recordedStart < recordedEnd {
            let hour = 3600.0
            let midnight = day.lowerBound
            let start = max(day.lowerBound, midnight + ((recordedStart - midnight) / hour).rounded(.down) * hour)
            let end = min(day.upperBound, midnight + ((recordedEnd - midnight) / hour).rounded(.up) * hour)
            axis = Span(start: start, end: max(end, start + hour))
        } else {
            axis = nil
        }
        quietHours = Self.quietSpans(policy.quietHours, day: day, zone: zone)
    }

    /// A minute's activity for the lanes: the one observed longest, if it outweighs the time
    /// with no activity known.
    static func dominantActivity(_ minute: MinuteData) -> Activity? {
        let best = Activity.allCases.max { minute.seconds(in: $0) < minute.seconds(in: $1) }
        guard let best, minute.seconds(in: best) > 0, minute.seconds(in: best) >= minute.unknownSeconds else { return nil }
        return best
    }

    static func runs(_ minutes: [DatedMinute]) -> [ActivityRun] {
        var runs: [ActivityRun] = []
        for minute in minutes {
            guard let activity = dominantActivity(minute.data) else { continue }
            let start = Double(minute.startUnix)
            if let last = runs.last, last.activity == activity, last.span.end == start {
                runs[runs.count - 1].span.end = start + 60
            } else {
                runs.append(ActivityRun(activity: activity, span: Span(start: start, end: start + 60)))
            }
        }
        return runs
    }

    static func curves(_ minutes: [DatedMinute], _ angle: (MinuteData) -> AngleRange?) -> [[AnglePoint]] {
        var curves: [[AnglePoint]] = []
        var previousStart: Int64?
        for minute in minutes {
            guard let range = angle(minute.data) else {
                previousStart = nil
                continue
            }
            let point = AnglePoint(time: Double(minute.startUnix) + 30, mean: range.mean, min: range.min, max: range.max)
            if let previousStart, minute.startUnix == previousStart + 60 {
                curves[curves.count - 1].append(point)
            } else {
                curves.append([point])
            }
            previousStart = minute.startUnix
        }
        return curves
    }

    /// Snoozes from `snooze` events: for their duration, cut short by a `resume` or a later
    /// snooze; one without a duration lasts until resumed or the data ends.
    static func snoozes(_ events: [LogEvent], until recordedEnd: Double) -> [Span] {
        var spans: [Span] = []
        for (index, event) in events.enumerated() where event.kind == .snooze {
            var end = event.number("duration_s").map { event.time + $0 } ?? recordedEnd
            if let next = events[(index + 1)...].first(where: { $0.kind == .resume || $0.kind == .snooze }) {
                end = min(end, next.time)
            }
            if end > event.time { spans.append(Span(start: event.time, end: end)) }
        }
        return spans
    }

    /// Quiet hours on this day's clock: local times of day mapped through the zone's offset at
    /// each bound (a DST day moves them with the clock), wrapping ranges split at midnight.
    static func quietSpans(_ ranges: [TimeOfDayRange], day: Range<Double>, zone: LocalTimeZone) -> [Span] {
        let midnightOffset = Double(zone.components(day.lowerBound).utcOffset)
        func instant(_ secondsAfterMidnight: Double) -> Double {
            let guess = day.lowerBound + secondsAfterMidnight
            return min(day.upperBound, guess - (Double(zone.components(guess).utcOffset) - midnightOffset))
        }
        var spans: [Span] = []
        for range in ranges where range.start != range.end {
            if range.start < range.end {
                spans.append(Span(start: instant(range.start), end: instant(range.end)))
            } else {
                spans.append(Span(start: day.lowerBound, end: instant(range.end)))
                spans.append(Span(start: instant(range.start), end: day.upperBound))
            }
        }
        return spans.filter { $0.end > $0.start }
    }
}
