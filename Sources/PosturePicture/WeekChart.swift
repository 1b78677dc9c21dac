/// The last seven days as small multiples: sitting time, upright share and nudges, one row each,
/// a bar per day with its value written on it; a day without data is hatched and says so.
struct WeekChart {
    var week: WeekSummary

    static let width = 960.0
    static let labelWidth = 132.0
    static let rowHeight = 64.0
    static let headerHeight = 22.0

    struct Row: Sendable {
        var key: String
        var name: String
        var value: @Sendable (DayTotals) -> Double?
        var text: @Sendable (Double) -> String
        /// The top of the scale; a fixed one (100%) where the quantity has one.
        var fixedMaximum: Double?
    }

    static let rows: [Row] = [
        Row(key: "sitting", name: "sitting (h)", value: { $0.sittingSeconds / 3600 }, text: { Markup.number($0, decimals: 1) + " h" }, fixedMaximum: nil),
        Row(key: "upright", name: "upright share", value: { $0.uprightShare }, text: { Markup.percent($0) }, fixedMaximum: 1),
        Row(key: "nudges", name: "nudges", value: { Double($0.nudges.total) }, text: { Markup.number($0, decimals: 0) }, fixedMaximum: nil),
    ]

    func svg() -> String {
        let height = Self.headerHeight + Double(Self.rows.count) * Self.rowHeight
        let column = (Self.width - Self.labelWidth) / Double(max(1, week.days.count))
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pc-chart pc-week\" role=\"img\" viewBox=\"0 0 \(Markup.number(Self.width)) \(Markup.number(height))\""
            + " width=\"\(Markup.number(Self.width))\" height=\"\(Markup.number(height))\" aria-labelledby=\"pc-week-title pc-week-desc\">\n"
            + "<title id=\"pc-week-title\">The last seven days</title>\n"
            + "<desc id=\"pc-week-desc\">Sitting time, upright share of sitting and nudges per day from \(week.days.first?.date.description ?? "") to \(week.days.last?.date.description ?? ""); \(week.daysWithData.count) of \(week.days.count) days have data.</desc>\n"
        for (index, day) in week.days.enumerated() {
            let x = Self.labelWidth + Double(index) * column + column / 2
            out += "<text class=\"pc-label\" x=\"\(Markup.number(x))\" y=\"14\" text-anchor=\"middle\">\(day.date.description.dropFirst(5))</text>\n"
        }
        for (rowIndex, row) in Self.rows.enumerated() {
            let top = Self.headerHeight + Double(rowIndex) * Self.rowHeight
            let barSpace = Self.rowHeight - 22
            let values = week.days.map { $0.hasData ? row.value($0) : nil }
            let maximum = row.fixedMaximum ?? max(values.compactMap { $0 }.max() ?? 0, 1e-9)
            out += "<g class=\"pc-week-row\" data-row=\"\(row.key)\"><title>\(row.name) per day</title>\n"
            out += "<text class=\"pc-label\" x=\"\(Markup.number(Self.labelWidth - 8))\" y=\"\(Markup.number(top + barSpace / 2 + 8))\" text-anchor=\"end\">\(row.name)</text>\n"
            for (index, day) in week.days.enumerated() {
                let x = Self.labelWidth + Double(index) * column + 6
                let width = column - 12
                let base = top + barSpace + 4
                guard day.hasData else {
                    out += "<g class=\"pc-week-day pc-no-data\" data-date=\"\(day.date)\"><title>\(day.date): no data</title>"
                        + "<rect class=\"pc-gap\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(top + 4))\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(barSpace))\"/>"
                        + "<text class=\"pc-label\" x=\"\(Markup.number(x + width / 2))\" y=\"\(Markup.number(base + 14))\" text-anchor=\"middle\">no data</text></g>\n"
                    continue
                }
                let value = row.value(day)
                let barHeight = value.map { barSpace * min(1, max(0, $0 / maximum)) } ?? 0
                let label = value.map(row.text) ?? "–"
                out += "<g class=\"pc-week-day\" data-date=\"\(day.date)\" data-value=\"\(value.map { Markup.number($0, decimals: 4) } ?? "")\"><title>\(day.date): \(Markup.escaped(row.name)) \(Markup.escaped(label))</title>"
                    + "<rect class=\"pc-track\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(top + 4))\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(barSpace))\"/>"
                    + "<rect class=\"pc-bar pc-week-\(row.key)\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(base - barHeight))\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(barHeight))\"/>"
                    + "<text class=\"pc-value\" x=\"\(Markup.number(x + width / 2))\" y=\"\(Markup.number(base + 14))\" text-anchor=\"middle\">\(Markup.escaped(label))</text></g>\n"
            }
            out += "</g>\n"
        }
        return out + "</svg>\n"
    }
}
