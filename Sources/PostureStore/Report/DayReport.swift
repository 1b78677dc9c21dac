public import PostureCore

/// How complete a day's data is.
public struct DataQuality: Sendable, Equatable {
    public var samples = 0
    public var expectedSamples = 0
    public var overruns = 0
    public var sensorFaults = 0

    public init() {}

    /// Samples received over samples promised by the configured rate; nil without any minute.
    public var sampleRatio: Double? { expectedSamples > 0 ? Double(samples) / Double(expectedSamples) : nil }
}

/// A local day of the log, summed up: `posturectl report`.
///
/// `summary` has the `DaySummary` shape of `replay --json`'s summary line, computed from the
/// stored minutes and events rather than from ticks, which makes three differences:
/// - Angle `mean` is exact (minute means weighted by their samples); `p50`/`p95` are
///   percentiles of the per-minute means weighted by samples, not of the ticks: the log keeps
///   no per-tick histogram, so they are smoother than replay's.
/// - `longest_sitting_bout_s` is the longest `bout_end` event of the day (the policy's own
///   bouts, dated by when they ended), or, if longer, the bout still open at the end of the
///   data, estimated from the sitting seconds of the trailing contiguous minutes after the
///   last `bout_end` (a break of 60 s or more within one minute ends it).
/// - `duration_s` is the four activities' time, as in replay; time with no activity yet is
///   `unknownSeconds`, and time not observed at all is in `gaps` (never filled in).
public struct DayReport: Sendable, Equatable {
    public var date: LocalDate
    /// The day in UTC seconds: local midnight to local midnight.
    public var range: Range<Double>
    public var summary: DaySummary
    public var unknownSeconds: Double
    public var minutesRecorded: Int
    /// Gaps overlapping the day, clipped to it.
    public var gaps: [LogGap]
    /// Length of the union of `gaps` (they may overlap).
    public var gapSeconds: Double
    public var quality: DataQuality
    /// Fading feedback: the day's last `feedback` record (level and why), and how many of the
    /// delivered nudges were gentle cues. `nil` and 0 in constant mode.
    public var feedback: FeedbackRecord?
    public var gentleNudges = 0

    public init(date: LocalDate, range: Range<Double>, minutes: [DatedMinute], events: [LogEvent], gaps: [LogGap]) {
        self.date = date
        self.range = range
        let dayMinutes = minutes.filter { range.contains(Double($0.startUnix)) }.sorted { $0.startUnix < $1.startUnix }
        let dayEvents = events.filter { range.contains($0.time) }
        var summary = DaySummary()
        var quality = DataQuality()
        var unknown = 0.0
        var tilt: [(Double, Int)] = [], obliquity: [(Double, Int)] = [], flexion: [(Double, Int)] = []
        for minute in dayMinutes {
            let d = minute.data
            summary.sittingSeconds += d.sittingSeconds
            summary.standingSeconds += d.standingSeconds
            summary.walkingSeconds += d.walkingSeconds
            summary.lyingSeconds += d.lyingSeconds
            summary.slouchSeconds += d.slouchSeconds
            unknown += d.unknownSeconds
            summary.steps = (summary.steps ?? 0) + d.steps
            quality.samples += d.samples
            quality.expectedSamples += d.expectedSamples
            quality.overruns += d.overruns
            quality.sensorFaults += d.sensorFaults
            if let t = d.pelvicTilt { tilt.append((t.mean, max(1, d.angleSamples))) }
            if let o = d.pelvicObliquityMean { obliquity.append((o, max(1, d.angleSamples))) }
            if let f = d.lumbarFlexion { flexion.append((f.mean, max(1, d.lumbarSamples))) }
        }
        summary.durationSeconds =
            summary.sittingSeconds + summary.standingSeconds + summary.walkingSeconds + summary.lyingSeconds
        for event in dayEvents {
            switch event.kind {
            case .nudge:
                if let reason = event.string("reason").flatMap(NudgeReason.init(rawValue:)) { summary.nudges[reason] += 1 }
                if event.nudgeIntensity == .gentle { gentleNudges += 1 }
            case .feedback:
                feedback = FeedbackRecord(event: event) ?? feedback
            case .nudgeSuppressed:
                if let cause = event.string("cause").flatMap(SuppressionCause.init(rawValue:)) {
                    summary.suppressedNudges[cause] += 1
                }
            case .boutEnd:
                summary.longestSittingBoutSeconds = max(summary.longestSittingBoutSeconds, event.number("duration_s") ?? 0)
            default:
                break
            }
        }
        let lastBoutEnd = dayEvents.filter { $0.kind == .boutEnd }.map(\.time).max() ?? range.lowerBound
        summary.longestSittingBoutSeconds = max(
            summary.longestSittingBoutSeconds, Self.openBoutEstimate(dayMinutes, after: lastBoutEnd))
        summary.pelvicTilt = Self.statistics(tilt)
        summary.pelvicObliquity = Self.statistics(obliquity)
        summary.lumbarFlexion = Self.statistics(flexion)

        self.summary = summary
        self.unknownSeconds = unknown
        self.minutesRecorded = dayMinutes.count
        self.quality = quality
        self.gaps = gaps.compactMap { $0.clipped(to: range) }.sorted { $0.start < $1.start }
        self.gapSeconds = Self.unionLength(self.gaps)
    }

    /// Sitting seconds of the trailing run of contiguous minutes that started after the last
    /// finished bout, each with some sitting and less than a minute of anything else.
    static func openBoutEstimate(_ minutes: [DatedMinute], after lastBoutEnd: Double) -> Double {
        var total = 0.0
        var expectedStart: Int64?
        for minute in minutes.reversed() {
            let d = minute.data
            let away = d.standingSeconds + d.walkingSeconds + d.lyingSeconds
            guard Double(minute.startUnix) + 60 > lastBoutEnd, d.sittingSeconds > 0, away < 60,
                expectedStart == nil || minute.startUnix == expectedStart
            else { break }
            total += d.sittingSeconds
            expectedStart = minute.startUnix - 60
        }
        return total
    }

    /// Weighted mean, and weighted nearest-rank percentiles of the values.
    static func statistics(_ values: [(value: Double, weight: Int)]) -> AngleStatistics? {
        let total = values.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        let mean = values.reduce(0.0) { $0 + $1.value * Double($1.weight) } / Double(total)
        let sorted = values.sorted { $0.value < $1.value }
        func percentile(_ fraction: Double) -> Double {
            let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
            var cumulative = 0
            for entry in sorted {
                cumulative += entry.weight
                if cumulative >= rank { return entry.value }
            }
            return sorted[sorted.count - 1].value
        }
        return AngleStatistics(mean: mean, p50: percentile(0.5), p95: percentile(0.95))
    }

    static func unionLength(_ gaps: [LogGap]) -> Double {
        var total = 0.0
        var current: (start: Double, end: Double)?
        for gap in gaps.sorted(by: { $0.start < $1.start }) {
            if let open = current, gap.start <= open.end {
                current = (open.start, max(open.end, gap.end))
            } else {
                if let open = current { total += open.end - open.start }
                current = (gap.start, gap.end)
            }
        }
        if let open = current { total += open.end - open.start }
        return total
    }
}

extension DayLog {
    /// The report of one local day, from the stored minutes, events and gaps.
    public func report(for date: LocalDate, in zone: LocalTimeZone = .system) throws(StoreError) -> DayReport {
        let range = zone.range(of: date)
        return DayReport(
            date: date, range: range, minutes: try minutes(from: range.lowerBound, to: range.upperBound),
            events: try events(from: range.lowerBound, to: range.upperBound),
            gaps: try gaps(from: range.lowerBound, to: range.upperBound))
    }
}
