import PostureCore

/// `posturectl report`: the day summary, readable or as one JSON object.
public enum ReportFormatter {
    /// The keys of `replay --json`'s summary line, in its order: the report's JSON starts with
    /// exactly these (so one parser reads both), then adds the day log's extras.
    public static let summaryKeys = [
        "type", "duration_s", "sitting_s", "standing_s", "walking_s", "lying_s", "slouch_s", "nudges",
        "longest_sitting_bout_s", "pelvic_tilt", "lumbar_flexion", "pelvic_obliquity", "steps", "suppressed_nudges",
    ]
    public static let extraKeys = ["date", "unknown_s", "minutes", "gap_s", "gaps", "data_quality", "feedback"]

    /// One JSON object: `{"type":"summary", …summary keys…, "date":"2024-05-01", "unknown_s":…,
    /// "minutes":…, "gap_s":…, "gaps":[{"start":ISO,"end":ISO,"reason":…,"duration_s":…}],
    /// "data_quality":{"samples":…,"expected_samples":…,"overruns":…,"sensor_faults":…},
    /// "feedback":null or the day's `feedback` record with "gentle_nudges":…}`.
    public static func json(_ report: DayReport, zone: LocalTimeZone) -> String {
        let s = report.summary.rounded()
        func seconds(_ v: Double) -> String { TextFormat.number(v, decimals: 2) }
        func stats(_ a: AngleStatistics?) -> String {
            guard let a else { return "null" }
            return "{\"mean\":\(TextFormat.number(a.mean)),\"p50\":\(TextFormat.number(a.p50)),\"p95\":\(TextFormat.number(a.p95))}"
        }
        let nudges = NudgeReason.allCases.map { "\"\($0.rawValue)\":\(s.nudges[$0])" }.joined(separator: ",")
        let suppressed = SuppressionCause.allCases.map { "\"\($0.rawValue)\":\(s.suppressedNudges[$0])" }.joined(separator: ",")
        let gaps = report.gaps.map { gap in
            "{\"start\":\(TextFormat.jsonString(zone.components(gap.start).iso8601)),\"end\":\(TextFormat.jsonString(zone.components(gap.end).iso8601))"
                + ",\"reason\":\(TextFormat.jsonString(gap.reason.rawValue)),\"duration_s\":\(seconds(gap.duration))}"
        }.joined(separator: ",")
        let q = report.quality
        return "{\"type\":\"summary\",\"duration_s\":\(seconds(s.durationSeconds)),\"sitting_s\":\(seconds(s.sittingSeconds))"
            + ",\"standing_s\":\(seconds(s.standingSeconds)),\"walking_s\":\(seconds(s.walkingSeconds))"
            + ",\"lying_s\":\(seconds(s.lyingSeconds)),\"slouch_s\":\(seconds(s.slouchSeconds))"
            + ",\"nudges\":{\(nudges)},\"longest_sitting_bout_s\":\(seconds(s.longestSittingBoutSeconds))"
            + ",\"pelvic_tilt\":\(stats(s.pelvicTilt)),\"lumbar_flexion\":\(stats(s.lumbarFlexion))"
            + ",\"pelvic_obliquity\":\(stats(s.pelvicObliquity)),\"steps\":\(s.steps.map(String.init) ?? "null")"
            + ",\"suppressed_nudges\":{\(suppressed)}"
            + ",\"date\":\"\(report.date)\",\"unknown_s\":\(seconds(report.unknownSeconds)),\"minutes\":\(report.minutesRecorded)"
            + ",\"gap_s\":\(seconds(report.gapSeconds)),\"gaps\":[\(gaps)]"
            + ",\"data_quality\":{\"samples\":\(q.samples),\"expected_samples\":\(q.expectedSamples)"
            + ",\"overruns\":\(q.overruns),\"sensor_faults\":\(q.sensorFaults)}"
            + ",\"feedback\":\(feedbackJSON(report))}"
    }

    /// Fading feedback's day: the `feedback` record as the day log holds it (level, why, the
    /// settings), with how many of the day's nudges were gentle cues; null in constant mode.
    static func feedbackJSON(_ report: DayReport) -> String {
        guard let feedback = report.feedback else { return "null" }
        var detail = feedback.event(at: 0).detail
        detail["gentle_nudges"] = .number(Double(report.gentleNudges))
        return TextFormat.jsonObject(detail)
    }

    public static func human(_ report: DayReport, zone: LocalTimeZone) -> String {
        let s = report.summary.rounded()
        func angle(_ name: String, _ a: AngleStatistics?, missing: String) -> String {
            guard let a else { return "  \(name): \(missing)" }
            return "  \(name): mean \(TextFormat.number(a.mean, decimals: 1))°, median \(TextFormat.number(a.p50, decimals: 1))°"
                + ", 95th percentile \(TextFormat.number(a.p95, decimals: 1))° (of minute means)"
        }
        // Recorded = every observed second, the activities' and the unknown ones, each rounded
        // as it is printed below, so the lines add up to the header.
        let shown = Activity.allCases.map { s.seconds(in: $0) } + [report.unknownSeconds >= 0.5 ? report.unknownSeconds : 0]
        let recorded = shown.reduce(0) { $0 + $1.rounded() }
        var lines = ["Day report for \(report.date) (\(DurationText.describe(recorded)) recorded)"]
        guard report.minutesRecorded > 0 || !report.gaps.isEmpty else {
            return (lines + ["  nothing recorded on this day"]).joined(separator: "\n")
        }
        for activity in Activity.allCases {
            lines.append("  \(activity.rawValue): \(DurationText.describe(s.seconds(in: activity)))")
        }
        if report.unknownSeconds >= 0.5 { lines.append("  activity unknown: \(DurationText.describe(report.unknownSeconds))") }
        lines.append("  slouched: \(DurationText.describe(s.slouchSeconds))")
        lines.append("  longest sitting bout: \(DurationText.describe(s.longestSittingBoutSeconds))")
        let nudges = NudgeReason.allCases.map { "\(s.nudges[$0]) \($0.rawValue)" }.joined(separator: ", ")
        lines.append("  nudges: \(nudges)" + (s.suppressedNudges.total > 0 ? " (\(s.suppressedNudges.total) suppressed)" : ""))
        if let feedback = report.feedback {
            lines.append("  feedback: \(feedback.settings.mode.rawValue), \(feedback.plan); \(report.gentleNudges) of \(s.nudges.total) nudges gentle cues")
        }
        if let steps = s.steps { lines.append("  steps: \(steps)") }
        lines.append(angle("pelvic tilt", s.pelvicTilt, missing: "no data"))
        lines.append(angle("pelvic obliquity", s.pelvicObliquity, missing: "no data"))
        lines.append(angle("lumbar flexion", s.lumbarFlexion, missing: "not measured (no upper lumbar sensor)"))
        if report.gaps.isEmpty {
            lines.append("  gaps: none")
        } else {
            lines.append("  gaps: \(report.gaps.count), \(DurationText.describe(report.gapSeconds)) in all")
            for gap in report.gaps {
                lines.append(
                    "    \(zone.components(gap.start).clock)–\(zone.components(gap.end).clock)  \(gap.reason.rawValue) (\(DurationText.describe(gap.duration)))")
            }
        }
        let q = report.quality
        var quality = "  data quality: \(q.samples) of \(q.expectedSamples) samples"
        if let ratio = q.sampleRatio { quality += " (\(TextFormat.number(ratio * 100, decimals: 1))%)" }
        quality += ", \(q.overruns) overruns, \(q.sensorFaults) sensor-fault ticks"
        lines.append(quality)
        return lines.joined(separator: "\n")
    }
}
