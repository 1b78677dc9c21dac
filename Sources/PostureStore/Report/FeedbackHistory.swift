public import PostureCore

/// A `feedback` event of the day log: the level fading feedback gave a day, what it came from
/// and the parameters in force, so `posturectl log` can say why a nudge did or did not come,
/// and the next day's schedule starts from it.
public struct FeedbackRecord: Sendable, Equatable {
    /// The local day the level is for.
    public var date: LocalDate
    public var plan: FeedbackPlan
    public var settings: FeedbackSettings

    public init(date: LocalDate, plan: FeedbackPlan, settings: FeedbackSettings) {
        self.date = date
        self.plan = plan
        self.settings = settings
    }

    /// Levels a stored record may hold: a row outside them (a corrupt or foreign log) is no
    /// record, never a trap, so the daemon starts on any day log.
    static let storedLevels = 0...5

    /// `nil` unless the event is a `feedback` event with a date and a level in `storedLevels`.
    public init?(event: LogEvent) {
        func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
            guard let value = event.number(key), let whole = Int(exactly: value.rounded()), range.contains(whole) else { return nil }
            return whole
        }
        guard event.kind == .feedback, let date = event.string("date").flatMap(LocalDate.init(parsing:)),
            let level = int("level", in: Self.storedLevels)
        else { return nil }
        let counts = 0...Int(Int32.max)
        let standard = FeedbackSettings.standard
        self.date = date
        plan = FeedbackPlan(
            level: FeedbackLevel(level), previousLevel: FeedbackLevel(int("previous_level", in: Self.storedLevels) ?? level),
            basis: event.string("basis").flatMap(FeedbackPlan.Basis.init(rawValue:)) ?? .held,
            rate: event.number("rate").flatMap { (0...1).contains($0) ? $0 : nil },
            nudges: int("nudges", in: counts) ?? 0, days: int("days", in: counts) ?? 0)
        settings = FeedbackSettings(
            mode: event.string("mode").flatMap(FeedbackMode.init(rawValue:)) ?? .fading,
            escalationDelay: event.number("escalation_s") ?? standard.escalationDelay,
            correctionWindow: event.number("correction_window_s") ?? standard.correctionWindow,
            stepUpRate: event.number("step_up_rate") ?? standard.stepUpRate,
            stepDownRate: event.number("step_down_rate") ?? standard.stepDownRate,
            historyDays: int("history_days", in: counts) ?? standard.historyDays,
            maxLevel: int("max_level", in: Self.storedLevels) ?? standard.maxLevel)
    }

    /// The event, at `t` (monotonic until `DayLogBuffer` dates it, like every event constructor).
    public func event(at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .feedback, detail: [
            "date": .string(date.description), "mode": .string(settings.mode.rawValue),
            "level": .number(Double(plan.level.value)), "previous_level": .number(Double(plan.previousLevel.value)),
            "basis": .string(plan.basis.rawValue), "rate": plan.rate.map { .number($0) } ?? .null,
            "nudges": .number(Double(plan.nudges)), "days": .number(Double(plan.days)),
            "escalation_s": .number(settings.escalationDelay), "correction_window_s": .number(settings.correctionWindow),
            "step_up_rate": .number(settings.stepUpRate), "step_down_rate": .number(settings.stepDownRate),
            "history_days": .number(Double(settings.historyDays)), "max_level": .number(Double(settings.maxLevel)),
        ])
    }
}

/// The past days' figures that fading feedback's schedule (`FeedbackSchedule`) reads.
public enum FeedbackHistory {
    /// How far back the schedule looks for days with slouch nudges: older evidence says little
    /// about the wearer now, and reading a month of events at midnight is cheap on a Pi.
    public static let lookbackDays = 28

    /// Per local day of `events`: slouch nudges, and those corrected within `window` seconds
    /// (`NudgeCorrection`, the day's page's definition, applied to each day's own events).
    public static func figures(events: [LogEvent], zone: LocalTimeZone, window: Double) -> [FeedbackDayFigures] {
        let byDay = Dictionary(grouping: events) { zone.components($0.time).date }
        return byDay.keys.sorted().compactMap { date in
            let slouch = NudgeCorrection.corrections(in: byDay[date] ?? []).filter { $0.reason == .slouch }
            guard !slouch.isEmpty else { return nil }
            let corrected = slouch.filter { ($0.correctedAfter ?? .infinity) <= window }.count
            return FeedbackDayFigures(
                day: LocalTimeZone.daysFromEpoch(date), slouchNudges: slouch.count, corrected: corrected)
        }
    }
}

extension DayLog {
    /// The last `feedback` record before `time` (UTC seconds), if any.
    public func lastFeedbackRecord(before time: Double) throws(StoreError) -> FeedbackRecord? {
        var found: LogEvent?
        try connection.statement(
            "SELECT time_unix, detail FROM events WHERE kind = ? AND time_unix < ? ORDER BY time_unix DESC, id DESC LIMIT 1"
        ).query([.text(EventKind.feedback.rawValue), .real(time)]) { row in
            let detail = (try? JSONCodec.decode([String: DetailValue].self, from: row.text(1))) ?? [:]
            found = LogEvent(time: row.double(0), kind: .feedback, detail: detail)
        }
        return found.flatMap(FeedbackRecord.init(event:))
    }

    /// Today's fading-feedback plan from the day log: the level recorded last before today and
    /// the slouch nudges of the `FeedbackHistory.lookbackDays` days before it. Deterministic:
    /// the same log gives the same plan, so a restart in the day gives the day's level again.
    public func feedbackPlan(
        for today: LocalDate, zone: LocalTimeZone = .system, settings: FeedbackSettings
    ) throws(StoreError) -> FeedbackPlan {
        let todayStart = zone.startOfDay(today)
        let todayNumber = LocalTimeZone.daysFromEpoch(today)
        let from = todayStart - Double(FeedbackHistory.lookbackDays) * 86_400
        let previous = try lastFeedbackRecord(before: todayStart).map {
            (level: $0.plan.level, day: LocalTimeZone.daysFromEpoch($0.date))
        }
        let history = FeedbackHistory.figures(
            events: try events(from: from, to: todayStart), zone: zone, window: settings.correctionWindow)
        return FeedbackSchedule.plan(today: todayNumber, previous: previous, history: history, settings: settings)
    }
}
