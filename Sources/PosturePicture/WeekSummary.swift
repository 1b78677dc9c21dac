public import PostureCore
public import PostureStore

/// The figures of one day that the cards, the week and `report --week` share, from its report.
public struct DayTotals: Sendable, Equatable {
    public var date: LocalDate
    public var hasData: Bool
    public var minutes: Int
    public var sittingSeconds: Double
    public var slouchSeconds: Double
    public var walkingSeconds: Double
    public var steps: Int?
    public var nudges: NudgeCounts
    public var longestSittingBoutSeconds: Double

    public init(_ report: DayReport) {
        let summary = report.summary.rounded()
        date = report.date
        hasData = report.minutesRecorded > 0
        minutes = report.minutesRecorded
        sittingSeconds = summary.sittingSeconds
        slouchSeconds = summary.slouchSeconds
        walkingSeconds = summary.walkingSeconds
        steps = summary.steps
        nudges = summary.nudges
        longestSittingBoutSeconds = summary.longestSittingBoutSeconds
    }

    /// Sitting time not slouched over sitting time (slouch episodes are sitting); nil without sitting.
    public var uprightShare: Double? {
        sittingSeconds > 0 ? max(0, sittingSeconds - slouchSeconds) / sittingSeconds : nil
    }
}

/// Seven days ending on a date, each from its own `DayReport`: what `report --week` prints and
/// the page's last-seven-days view draws. A day without a stored minute is marked as such,
/// never drawn as a day of zeros.
public struct WeekSummary: Sendable {
    public static let length = 7
    /// Oldest first; the last is the date asked for.
    public var days: [DayTotals]

    public init(days: [DayTotals]) { self.days = days }

    /// The seven dates ending on `date`, oldest first.
    public static func dates(endingOn date: LocalDate, zone: LocalTimeZone) -> [LocalDate] {
        var dates = [date]
        while dates.count < length {
            // An hour before local midnight is the previous day on any clock, DST or not.
            dates.insert(zone.components(zone.range(of: dates[0]).lowerBound - 3600).date, at: 0)
        }
        return dates
    }

    public var daysWithData: [DayTotals] { days.filter(\.hasData) }
    public var sittingSeconds: Double { daysWithData.reduce(0) { $0 + $1.sittingSeconds } }
    public var slouchSeconds: Double { daysWithData.reduce(0) { $0 + $1.slouchSeconds } }
    public var nudges: NudgeCounts {
        var total = NudgeCounts()
        for day in days { for reason in NudgeReason.allCases { total[reason] += day.nudges[reason] } }
        return total
    }
    public var uprightShare: Double? { sittingSeconds > 0 ? max(0, sittingSeconds - slouchSeconds) / sittingSeconds : nil }

    public func json() -> String {
        func nudges(_ counts: NudgeCounts) -> String {
            "{" + NudgeReason.allCases.map { "\"\($0.rawValue)\":\(counts[$0])" }.joined(separator: ",") + "}"
        }
        func share(_ value: Double?) -> String { value.map { Markup.number($0, decimals: 4) } ?? "null" }
        let dayObjects = days.map { day -> String in
            var object = "{\"date\":\"\(day.date)\",\"has_data\":\(day.hasData),\"minutes\":\(day.minutes)"
            object += ",\"sitting_s\":\(Markup.number(day.sittingSeconds, decimals: 2))"
            object += ",\"slouch_s\":\(Markup.number(day.slouchSeconds, decimals: 2))"
            object += ",\"upright_share\":\(share(day.uprightShare)),\"nudges\":\(nudges(day.nudges))"
            object += ",\"nudges_total\":\(day.nudges.total)"
            object += ",\"longest_sitting_bout_s\":\(Markup.number(day.longestSittingBoutSeconds, decimals: 2))"
            object += ",\"walking_s\":\(Markup.number(day.walkingSeconds, decimals: 2))"
            object += ",\"steps\":\(day.steps.map(String.init) ?? "null")}"
            return object
        }
        var out = "{\"type\":\"week\",\"from\":\"\(days.first?.date.description ?? "")\""
        out += ",\"to\":\"\(days.last?.date.description ?? "")\",\"days\":[\(dayObjects.joined(separator: ","))]"
        out += ",\"totals\":{\"days_with_data\":\(daysWithData.count),\"sitting_s\":\(Markup.number(sittingSeconds, decimals: 2))"
        out += ",\"slouch_s\":\(Markup.number(slouchSeconds, decimals: 2)),\"upright_share\":\(share(uprightShare))"
        out += ",\"nudges\":\(nudges(self.nudges)),\"nudges_total\":\(self.nudges.total)}}"
        return out
    }

    public func text() -> String {
        func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return right ? fill + s : s + fill
        }
        var lines = ["Week \(days.first?.date.description ?? "") to \(days.last?.date.description ?? "")"]
        lines.append("  " + pad("date", 12) + pad("sitting", 14) + pad("upright", 9, right: true) + pad("nudges", 8, right: true) + "  longest bout")
        for day in days {
            guard day.hasData else {
                lines.append("  " + pad(day.date.description, 12) + "no data")
                continue
            }
            lines.append(
                "  " + pad(day.date.description, 12) + pad(DurationText.describe(day.sittingSeconds), 14)
                    + pad(day.uprightShare.map(Markup.percent) ?? "–", 9, right: true) + pad(String(day.nudges.total), 8, right: true)
                    + "  " + DurationText.describe(day.longestSittingBoutSeconds))
        }
        lines.append(
            "  \(days.count) days, \(daysWithData.count) with data: sitting \(DurationText.describe(sittingSeconds)), upright "
                + (uprightShare.map(Markup.percent) ?? "–")
                + ", \(nudges.total) nudges (\(nudges.slouch) slouch, \(nudges.sittingTooLong) sitting too long)")
        return lines.joined(separator: "\n")
    }
}
