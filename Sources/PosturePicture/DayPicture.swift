public import PostureCore
public import PostureStore
import PostureConfig

/// Everything the page of one day is drawn from, read from the day log (read-only).
public struct DayPicture: Sendable {
    public var date: LocalDate
    public var zone: LocalTimeZone
    public var report: DayReport
    public var minutes: [DatedMinute]
    public var events: [LogEvent]
    /// The calibration in force at the end of the day (the last one stored before it).
    public var calibration: TimedCalibration?
    /// The policy in force at the end of the day: the stored configuration's, else the defaults.
    public var policy: PolicyConfiguration
    public var policySource: PolicySource
    /// Minutes stored while the clock was not yet trusted: in no day until it is.
    public var undatedMinutes: Int
    public var week: WeekSummary

    public enum PolicySource: Sendable, Equatable {
        /// The configuration the daemon stored at `time` (UTC seconds), with its SHA-256.
        case stored(time: Double, sha256: String)
        /// None stored before the day ended: the defaults are shown.
        case defaults
        /// One was stored but does not read as a configuration of this version.
        case unreadable(time: Double, problem: String)
    }

    public init(
        date: LocalDate, zone: LocalTimeZone, report: DayReport, minutes: [DatedMinute], events: [LogEvent],
        calibration: TimedCalibration?, policy: PolicyConfiguration, policySource: PolicySource, undatedMinutes: Int,
        week: WeekSummary
    ) {
        self.date = date
        self.zone = zone
        self.report = report
        self.minutes = minutes
        self.events = events
        self.calibration = calibration
        self.policy = policy
        self.policySource = policySource
        self.undatedMinutes = undatedMinutes
        self.week = week
    }

    /// Reads the day `date` and the six before it from `log`.
    public static func read(from log: DayLog, date: LocalDate, zone: LocalTimeZone) throws(StoreError) -> DayPicture {
        let range = zone.range(of: date)
        let report = try log.report(for: date, in: zone)
        var week: [DayTotals] = []
        for day in WeekSummary.dates(endingOn: date, zone: zone) {
            week.append(DayTotals(day == date ? report : try log.report(for: day, in: zone)))
        }
        var policy = PolicyConfiguration.standard
        var source = PolicySource.defaults
        if let stored = try log.configuration(inForceAt: range.upperBound) {
            switch PostureConfiguration.parse(text: stored.text, fileName: "the configuration stored at \(zone.components(stored.time).iso8601)") {
            case .success(let configuration):
                policy = configuration.policy
                source = .stored(time: stored.time, sha256: stored.sha256)
            case .failure(let errors):
                source = .unreadable(time: stored.time, problem: errors.problems.first?.description ?? "unreadable")
            }
        }
        return DayPicture(
            date: date, zone: zone, report: report,
            minutes: try log.minutes(from: range.lowerBound, to: range.upperBound),
            events: try log.events(from: range.lowerBound, to: range.upperBound),
            calibration: try log.calibration(inForceAt: range.upperBound), policy: policy, policySource: source,
            undatedMinutes: try log.undatedMinuteCount(otherThan: ""), week: WeekSummary(days: week))
    }

    public var figures: DayFigures { DayFigures(report: report, events: events, policy: policy) }

    public var timeline: DayTimeline {
        DayTimeline(report: report, minutes: minutes, events: events, policy: policy, zone: zone)
    }

    /// The last seven days as small multiples (the page's week view).
    public var weekChartSVG: String { WeekChart(week: week).svg() }

    public var chart: DayChart {
        DayChart(date: date, zone: zone, timeline: timeline, calibration: calibration?.calibration, policy: policy)
    }
}
