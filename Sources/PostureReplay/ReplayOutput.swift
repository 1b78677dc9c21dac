public import PostureCore

/// The lines `posturectl replay` prints: JSON lines (the CLI contract) or a readable log.
public enum ReplayOutput {
    // MARK: JSON lines

    public static func activityJSON(t: Double, activity: Activity) -> String {
        "{\"type\":\"activity\",\"t\":\(jsonNumber(t, decimals: 2)),\"activity\":\"\(activity.rawValue)\"}"
    }

    /// A gentle cue of fading feedback adds `"intensity":"gentle"`; a full nudge is written as
    /// before fading feedback existed (the CLI contract's line, and the goldens, unchanged).
    public static func nudgeJSON(t: Double, reason: NudgeReason, intensity: NudgeIntensity = .full) -> String {
        let gentle = intensity == .gentle ? ",\"intensity\":\"gentle\"" : ""
        return "{\"type\":\"nudge\",\"t\":\(jsonNumber(t, decimals: 2)),\"reason\":\"\(reason.rawValue)\"\(gentle)}"
    }

    /// The summary line: the contract's keys first, then extras (obliquity, steps, suppressed nudges).
    public static func summaryJSON(_ summary: DaySummary) -> String {
        let s = summary.rounded()
        func seconds(_ v: Double) -> String { jsonNumber(v, decimals: 2) }
        func stats(_ a: AngleStatistics?) -> String {
            guard let a else { return "null" }
            return "{\"mean\":\(jsonNumber(a.mean, decimals: 2)),\"p50\":\(jsonNumber(a.p50, decimals: 2)),\"p95\":\(jsonNumber(a.p95, decimals: 2))}"
        }
        let nudges = NudgeReason.allCases.map { "\"\($0.rawValue)\":\(s.nudges[$0])" }.joined(separator: ",")
        let suppressed = SuppressionCause.allCases.map { "\"\($0.rawValue)\":\(s.suppressedNudges[$0])" }
            .joined(separator: ",")
        return "{\"type\":\"summary\",\"duration_s\":\(seconds(s.durationSeconds)),\"sitting_s\":\(seconds(s.sittingSeconds))"
            + ",\"standing_s\":\(seconds(s.standingSeconds)),\"walking_s\":\(seconds(s.walkingSeconds))"
            + ",\"lying_s\":\(seconds(s.lyingSeconds)),\"slouch_s\":\(seconds(s.slouchSeconds))"
            + ",\"nudges\":{\(nudges)},\"longest_sitting_bout_s\":\(seconds(s.longestSittingBoutSeconds))"
            + ",\"pelvic_tilt\":\(stats(s.pelvicTilt)),\"lumbar_flexion\":\(stats(s.lumbarFlexion))"
            + ",\"pelvic_obliquity\":\(stats(s.pelvicObliquity)),\"steps\":\(s.steps.map(String.init) ?? "null")"
            + ",\"suppressed_nudges\":{\(suppressed)}}"
    }

    // MARK: Human

    public static func clock(_ t: Double) -> String {
        let total = Int(t.rounded(.down))
        let h = total / 3600
        let m = (total / 60) % 60
        let sec = total % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(h)):\(two(m)):\(two(sec))"
    }

    public static func humanSummary(_ summary: DaySummary) -> String {
        let s = summary.rounded()
        func angle(_ name: String, _ a: AngleStatistics?) -> String {
            guard let a else { return "  \(name): not measured (no upper lumbar sensor)" }
            return "  \(name): mean \(jsonNumber(a.mean, decimals: 1))°, median \(jsonNumber(a.p50, decimals: 1))°, 95th percentile \(jsonNumber(a.p95, decimals: 1))°"
        }
        var lines = ["Day summary (\(DurationText.describe(s.durationSeconds)) recorded)"]
        for activity in Activity.allCases {
            lines.append("  \(activity.rawValue): \(DurationText.describe(s.seconds(in: activity)))")
        }
        lines.append("  slouched: \(DurationText.describe(s.slouchSeconds))")
        lines.append("  longest sitting bout: \(DurationText.describe(s.longestSittingBoutSeconds))")
        let nudges = NudgeReason.allCases.map { "\(s.nudges[$0]) \($0.rawValue)" }.joined(separator: ", ")
        lines.append("  nudges: \(nudges)" + (s.suppressedNudges.total > 0 ? " (\(s.suppressedNudges.total) suppressed)" : ""))
        if let steps = s.steps { lines.append("  steps: \(steps)") }
        lines.append(angle("pelvic tilt", s.pelvicTilt))
        lines.append(angle("pelvic obliquity", s.pelvicObliquity))
        lines.append(angle("lumbar flexion", s.lumbarFlexion))
        return lines.joined(separator: "\n")
    }
}

extension ReplayOutput {
    /// One `--angles` row: `t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity`, with an
    /// empty `lumbar_flexion` without sensor 1 and an empty activity before the first decision.
    public static func writeAnglesRow(_ step: EngineStep, to out: BufferedWriter) throws {
        out.writeFixed(step.t, decimals: 6)
        out.writeByte(UInt8(ascii: ","))
        out.writeFixed(step.angles.pelvicTilt, decimals: 3)
        out.writeByte(UInt8(ascii: ","))
        out.writeFixed(step.angles.pelvicObliquity, decimals: 3)
        out.writeByte(UInt8(ascii: ","))
        if let flexion = step.angles.lumbarFlexion { out.writeFixed(flexion, decimals: 3) }
        out.writeByte(UInt8(ascii: ","))
        if let activity = step.activity { try out.write(activity.rawValue) }
        try out.endLine()
    }
}

extension ReplayOutput {
    /// The event lines one engine step produces, in order: an activity change, then a nudge.
    /// The one definition used by `posturectl replay` and the golden tests.
    public static func eventLines(for step: EngineStep, json: Bool, _ emit: (String) throws -> Void) rethrows {
        if step.activityChanged, let activity = step.activity {
            try emit(json ? activityJSON(t: step.t, activity: activity) : "\(clock(step.t))  now \(activity.rawValue)")
        }
        if let reason = step.decision.nudge {
            let intensity = step.decision.nudgeIntensity
            try emit(json
                ? nudgeJSON(t: step.t, reason: reason, intensity: intensity)
                : "\(clock(step.t))  NUDGE \(reason.rawValue)\(intensity == .gentle ? " (gentle)" : "")")
        }
    }
}
