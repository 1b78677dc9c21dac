import PostureCore

/// `posturectl log`: a day's events in time order, in local time.
///
/// Gaps appear through their `gap` events (written by `DayLog.append` with each gap), so the
/// events alone are the whole timeline.
public enum LogFormatter {
    /// `HH:MM:SS  text`, one line per event.
    public static func humanLine(_ event: LogEvent, zone: LocalTimeZone) -> String {
        "\(zone.components(event.time).clock)  \(describe(event, zone: zone))"
    }

    /// `{"time":"2024-05-01T08:12:03+02:00","time_unix":1714543923.5,"kind":"nudge","detail":{…}}`
    public static func jsonLine(_ event: LogEvent, zone: LocalTimeZone) -> String {
        "{\"time\":\(TextFormat.jsonString(zone.components(event.time).iso8601)),\"time_unix\":\(TextFormat.number(event.time, decimals: 3))"
            + ",\"kind\":\(TextFormat.jsonString(event.kind.rawValue)),\"detail\":\(TextFormat.jsonObject(event.detail))}"
    }

    /// The whole day: a heading and the lines (human), or JSON lines.
    public static func format(_ events: [LogEvent], date: LocalDate, zone: LocalTimeZone, json: Bool) -> String {
        if json { return events.map { jsonLine($0, zone: zone) }.joined(separator: "\n") }
        var lines = ["Posture log for \(date)"]
        if events.isEmpty { lines.append("  (nothing recorded)") }
        lines += events.map { humanLine($0, zone: zone) }
        return lines.joined(separator: "\n")
    }

    /// The readable text of one event.
    public static func describe(_ event: LogEvent, zone: LocalTimeZone) -> String {
        func at(_ offsetKey: String) -> String? {
            event.number(offsetKey).map { zone.components(event.time + $0).clock }
        }
        func duration(_ key: String) -> String? { event.number(key).map(DurationText.describe) }
        switch event.kind {
        case .activity:
            return event.string("activity").map { "now \($0)" } ?? "activity unknown"
        case .nudge:
            return "NUDGE \(event.string("reason") ?? "?")" + (event.nudgeIntensity == .gentle ? " (gentle cue)" : "")
        case .feedback:
            return FeedbackRecord(event: event).map { "feedback \($0.plan)" } ?? "feedback \(TextFormat.jsonObject(event.detail))"
        case .nudgeSuppressed:
            return "nudge \(event.string("reason") ?? "?") suppressed (\(event.string("cause") ?? "?"))"
        case .slouchStart:
            return "slouching" + (at("onset_offset_s").map { " since \($0)" } ?? "")
        case .slouchEnd:
            return "slouch over" + (duration("duration_s").map { " after \($0)" } ?? "")
        case .boutEnd:
            return "sitting bout of \(duration("duration_s") ?? "?")" + (at("start_offset_s").map { " (from \($0))" } ?? "")
                + " ended"
        case .calibration:
            return "calibrated"
        case .snooze:
            return "nudges snoozed" + (duration("duration_s").map { " for \($0)" } ?? " until resumed")
        case .resume:
            return "nudges resumed"
        case .sensorFault:
            return "sensor \(event.number("sensor").map { String(Int($0)) } ?? "?") fault"
                + (event.string("message").map { ": \($0)" } ?? "")
        case .sensorRecovered:
            return "sensor \(event.number("sensor").map { String(Int($0)) } ?? "?") recovered"
        case .daemonStart:
            return "postured started" + (event.string("version").map { " (\($0))" } ?? "")
        case .daemonStop:
            return "postured stopped" + (event.string("reason").map { " (\($0))" } ?? "")
        case .gap:
            let end = event.number("duration_s").map { zone.components(event.time + $0).clock } ?? "?"
            return "GAP until \(end)" + (duration("duration_s").map { " (\($0))" } ?? "")
                + (event.string("reason").map { ": \($0)" } ?? "")
        case .clockSynced:
            return "clock synchronised"
        case .configLoaded:
            return "configuration loaded" + (event.string("sha256").map { " (sha256 \($0.prefix(12)))" } ?? "")
        default:
            return "\(event.kind.rawValue) \(TextFormat.jsonObject(event.detail))"
        }
    }
}
