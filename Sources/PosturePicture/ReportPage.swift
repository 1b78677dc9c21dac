import PostureCore
import PostureStore

/// `posturectl report --html`: one self-contained page (no script, no external asset), light
/// and dark, that reads on a phone and on a desktop: the summary cards, the day chart, the last
/// seven days and the calibration and thresholds in force. Polyglot HTML5: also well-formed XML.
public struct ReportPage: Sendable {
    public var picture: DayPicture
    /// Who made it, for the footer (`posturectl 0.1.0`).
    public var generator: String

    public init(picture: DayPicture, generator: String) {
        self.picture = picture
        self.generator = generator
    }

    public func html() -> String {
        let figures = picture.figures
        var out = "<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light dark\"/>\n"
            + "<title>Posture on \(picture.date)</title>\n<style>\(Self.pageStyle)</style>\n</head>\n<body>\n<main>\n"
            + "<h1>Posture on \(picture.date)</h1>\n"
        out += notes()
        out += "<section id=\"summary\" aria-label=\"The day in figures\"><div class=\"cards\">\n" + cards(figures) + "</div></section>\n"
        out += nudgeTable(figures)
        out += "<section id=\"day\"><h2>The day</h2>\n<div class=\"chart-wrap\">\n" + picture.chart.svg() + "</div>\n" + legend() + "</section>\n"
        out += "<section id=\"week\"><h2>The last seven days</h2>\n<div class=\"chart-wrap\">\n" + WeekChart(week: picture.week).svg() + "</div>\n"
            + weekTable() + "</section>\n"
        out += "<section id=\"settings\"><h2>Calibration and thresholds in force</h2>\n" + settings() + "</section>\n"
        out += "<footer><p>Made by \(Markup.escaped(generator)) from the day log, offline. Times are local"
            + " (UTC\(offsetText(picture.zone.components(picture.report.range.lowerBound).utcOffset))).</p></footer>\n"
        return out + "</main>\n</body>\n</html>\n"
    }

    /// What the reader must know before trusting the page: no data, undated minutes, one sensor,
    /// a configuration that could not be read.
    func notes() -> String {
        var notes: [String] = []
        if picture.report.minutesRecorded == 0 {
            notes.append("Nothing was recorded on \(picture.date).")
        }
        if picture.undatedMinutes > 0 {
            notes.append("\(picture.undatedMinutes) minutes were recorded while the clock was not yet set: they are kept undated and appear on their day once the clock is synchronised (for example by NTP).")
        }
        if picture.report.minutesRecorded > 0, picture.report.summary.lumbarFlexion == nil {
            notes.append("Lumbar flexion was not measured on this day (no upper lumbar sensor): only the pelvis is shown.")
        }
        switch picture.policySource {
        case .unreadable(let time, let problem):
            notes.append("The configuration stored at \(picture.zone.components(time).iso8601) could not be read (\(problem)); the thresholds shown are the defaults.")
        case .defaults:
            notes.append("No configuration was stored before the end of this day; the thresholds shown are the defaults.")
        case .stored:
            break
        }
        if picture.calibration == nil {
            notes.append("The wearer was not calibrated by the end of this day: no sitting-upright reference or slouch threshold is drawn.")
        }
        guard !notes.isEmpty else { return "" }
        return "<section id=\"notes\" class=\"notes\" aria-label=\"Notes\"><ul>\n" + notes.map { "<li>\(Markup.escaped($0))</li>\n" }.joined() + "</ul></section>\n"
    }

    func card(_ id: String, _ title: String, _ value: String, _ details: [String]) -> String {
        "<div class=\"card\" id=\"card-\(id)\"><h2>\(Markup.escaped(title))</h2><p class=\"value\">\(Markup.escaped(value))</p>"
            + details.map { "<p class=\"detail\">\(Markup.escaped($0))</p>" }.joined() + "</div>\n"
    }

    func cards(_ f: DayFigures) -> String {
        let none = "–"
        let recorded = picture.report.summary.durationSeconds + picture.report.unknownSeconds
        var out = card("sitting", "Time sitting", f.totals.hasData ? DurationText.describe(f.totals.sittingSeconds) : none,
                       f.totals.hasData ? ["of \(DurationText.describe(recorded)) recorded"] : ["no data"])
        out += card("upright", "Sitting upright", f.totals.uprightShare.map(Markup.percent) ?? none,
                    f.totals.uprightShare == nil ? ["no sitting recorded"] : ["slouched \(DurationText.describe(f.totals.slouchSeconds))"])
        var nudgeDetails: [String] = []
        for reason in NudgeReason.allCases {
            let count = f.totals.nudges[reason]
            var line = "\(count) \(Self.reasonWords(reason))"
            if count > 0 {
                if let median = f.medianCorrection(reason) { line += ", corrected in \(DurationText.describe(median)) (median)" }
                let open = f.uncorrected(reason)
                if open > 0 { line += ", \(open) not corrected" }
            }
            nudgeDetails.append(line)
        }
        if let feedback = picture.report.feedback {
            // Why fewer (or gentler) nudges came today: the level and its reason, as `report` says.
            nudgeDetails.append("\(picture.report.gentleNudges) gentle cue\(picture.report.gentleNudges == 1 ? "" : "s"); "
                + "\(feedback.settings.mode.rawValue) feedback \(feedback.plan)")
        }
        out += card("nudges", "Nudges", String(f.totals.nudges.total), nudgeDetails)
        out += card("bout", "Longest sitting bout", f.totals.hasData ? DurationText.describe(f.totals.longestSittingBoutSeconds) : none,
                    ["\(f.boutsOverBreakLimit) bout\(f.boutsOverBreakLimit == 1 ? "" : "s") of \(DurationText.describe(f.breakLimitSeconds)) or more"])
        out += card("walking", "Walking", f.totals.hasData ? DurationText.describe(f.totals.walkingSeconds) : none,
                    [f.totals.steps.map { "\($0) steps" } ?? "steps not counted"])
        let report = picture.report
        var data = ["\(report.gaps.count) gap\(report.gaps.count == 1 ? "" : "s")" + (report.gaps.isEmpty ? "" : ", \(DurationText.describe(report.gapSeconds))")]
        if let ratio = report.quality.sampleRatio { data.append("\(Markup.number(ratio * 100, decimals: 1))% of samples") }
        out += card("data", "Recorded", f.totals.hasData ? DurationText.describe(recorded) : none, data)
        return out
    }

    /// Each nudge, its reason and how long the wearer took to correct (the cards give the medians).
    func nudgeTable(_ f: DayFigures) -> String {
        guard !f.corrections.isEmpty else { return "" }
        var out = "<details id=\"nudge-list\"><summary>Each nudge and how fast it was corrected</summary>\n<table class=\"nudges\">"
            + "<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Nudge</th><th scope=\"col\">Corrected after</th></tr></thead>\n<tbody>\n"
        for nudge in f.corrections {
            out += "<tr data-time=\"\(Markup.number(nudge.time, decimals: 0))\"><td>\(picture.zone.components(nudge.time).clock)</td>"
                + "<td>\(Markup.escaped(Self.reasonWords(nudge.reason)))</td>"
                + "<td>\(nudge.correctedAfter.map { DurationText.describe($0) } ?? "not corrected by the end of the data")</td></tr>\n"
        }
        return out + "</tbody></table></details>\n"
    }

    static func reasonWords(_ reason: NudgeReason) -> String {
        switch reason {
        case .slouch: "slouch"
        case .sittingTooLong: "get up (sitting too long)"
        }
    }

    func legend() -> String {
        "<ul class=\"legend\" aria-label=\"How to read the chart\">"
            + "<li><span class=\"key key-run\"></span>a bar per activity, on its labelled lane</li>"
            + "<li><span class=\"key key-gap\"></span>no data (hatched), with the reason in its title</li>"
            + "<li><span class=\"key key-bout\"></span>sitting bout over the break limit (outlined, hatched)</li>"
            + "<li><span class=\"key key-quiet\"></span>quiet hours (striped)</li>"
            + "<li><span class=\"key key-snooze\"></span>snoozed (dotted)</li>"
            + "<li>▲ S slouch nudge, ● U get-up nudge</li>"
            + "<li>dashed green: sitting upright (calibrated); dotted red: slouch threshold; dotted grey: standing tall 0°</li>"
            + "<li>curves: per-minute mean, band: per-minute range; positive tilt is anterior</li></ul>\n"
    }

    func weekTable() -> String {
        var out = "<table class=\"week\"><caption>Per day</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Sitting</th>"
            + "<th scope=\"col\">Upright</th><th scope=\"col\">Nudges</th><th scope=\"col\">Longest bout</th></tr></thead>\n<tbody>\n"
        for day in picture.week.days {
            guard day.hasData else {
                out += "<tr class=\"no-data\"><th scope=\"row\">\(day.date)</th><td colspan=\"4\">no data</td></tr>\n"
                continue
            }
            out += "<tr><th scope=\"row\">\(day.date)</th><td>\(DurationText.describe(day.sittingSeconds))</td>"
                + "<td>\(day.uprightShare.map(Markup.percent) ?? "–")</td><td>\(day.nudges.total)</td>"
                + "<td>\(DurationText.describe(day.longestSittingBoutSeconds))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    func settings() -> String {
        let p = picture.policy
        var rows: [(String, String)] = []
        if let timed = picture.calibration {
            let c = timed.calibration
            rows.append(("calibrated", picture.zone.components(timed.time).iso8601))
            rows.append(("sitting upright: pelvic tilt", Markup.degrees(c.sittingPelvicTilt) + " (standing tall is 0°)"))
            rows.append(("sitting upright: lumbar flexion", c.sittingLumbarFlexion.map(Markup.degrees) ?? "no upper lumbar sensor"))
            rows.append(("pelvis, standing to sitting", Markup.number(c.pelvis.standToSitDegrees, decimals: 1) + "°"))
        } else {
            rows.append(("calibrated", "not calibrated"))
        }
        rows.append(("slouch: pelvic tilt", "more than \(Markup.number(p.slouchPelvicTiltThreshold))° posterior of sitting upright"))
        rows.append(("slouch: lumbar flexion", "more than \(Markup.number(p.slouchLumbarFlexionThreshold))° above sitting upright"))
        rows.append(("slouch held before a nudge", DurationText.describe(p.slouchHold)))
        rows.append(("break limit (get-up nudge)", DurationText.describe(p.sittingTooLongAfter)))
        rows.append(("a break is at least", DurationText.describe(p.sittingBreakMinimum)))
        rows.append(("quiet hours", p.quietHours.isEmpty ? "none" : p.quietHours.map(\.description).joined(separator: ", ")))
        rows.append(("daily nudge cap", p.dailyNudgeCap.map(String.init) ?? "none"))
        switch picture.policySource {
        case .stored(let time, let sha256): rows.append(("configuration", "stored \(picture.zone.components(time).iso8601), SHA-256 \(sha256.prefix(12))…"))
        case .defaults: rows.append(("configuration", "none stored: defaults"))
        case .unreadable(let time, _): rows.append(("configuration", "stored \(picture.zone.components(time).iso8601), unreadable: defaults"))
        }
        return "<table class=\"settings\">\n<tbody>\n"
            + rows.map { "<tr><th scope=\"row\">\(Markup.escaped($0.0))</th><td>\(Markup.escaped($0.1))</td></tr>\n" }.joined()
            + "</tbody></table>\n"
    }

    func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "−" : "+"
        let magnitude = abs(seconds)
        let minutes = magnitude / 60 % 60
        return sign + String(magnitude / 3600) + (minutes == 0 ? "" : ":" + (minutes < 10 ? "0" : "") + String(minutes))
    }

    static let pageStyle = """
        :root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#ffffff;--card:#f6f8fa;--line:#d8dee4;--accent:#4c78a8}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#7aa6d6}}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        details{margin-top:10px}summary{cursor:pointer;color:var(--muted)}main{max-width:1000px;margin:0 auto;padding:16px}h1{font-size:1.5rem;margin:.2em 0 .6em}h2{font-size:1.1rem;margin:1.4em 0 .5em}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
        .card h2{font-size:.85rem;font-weight:600;color:var(--muted);margin:0}.card .value{font-size:1.6rem;font-weight:650;margin:.1em 0}
        .card .detail{font-size:.85rem;color:var(--muted);margin:0}
        .chart-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}.chart-wrap svg{display:block;width:100%;min-width:640px;height:auto}
        .notes{border-left:4px solid var(--accent);background:var(--card);padding:4px 12px;border-radius:4px;margin-bottom:12px}.notes ul{margin:.4em 0;padding-left:1.1em}
        .legend{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;padding:0;font-size:.85rem;color:var(--muted)}
        .key{display:inline-block;width:22px;height:11px;margin-right:6px;vertical-align:middle;border:1px solid var(--line)}
        .key-run{background:var(--accent)}.key-gap{background:repeating-linear-gradient(45deg,var(--line) 0 2px,transparent 2px 6px)}
        .key-bout{border:1.5px solid #c62828;background:repeating-linear-gradient(-45deg,#c62828 0 1px,transparent 1px 6px)}
        .key-quiet{background:repeating-linear-gradient(-45deg,rgba(111,66,193,.35) 0 1px,transparent 1px 7px)}
        .key-snooze{background:radial-gradient(circle,rgba(9,105,218,.6) 1.3px,transparent 1.5px) 0 0/6px 6px}
        table{border-collapse:collapse;width:100%;font-size:.9rem}caption{text-align:left;color:var(--muted);padding:4px 0}
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}th[scope=row]{font-weight:600}
        tr.no-data td{color:var(--muted);font-style:italic}#day .pc-key{display:none}footer{color:var(--muted);font-size:.8rem;margin-top:2em}
        """
}
