/// `posturectl export`: stored minutes as CSV or JSON lines.
///
/// CSV columns (the header line is exactly `csvHeader`), one row per stored minute, oldest
/// first; empty cells for missing values (no angle that minute, no lumbar sensor):
/// `start_local` (ISO 8601 with offset), `start_unix` (UTC seconds), `sitting_s`, `standing_s`,
/// `walking_s`, `lying_s`, `unknown_s`, `slouch_s` (seconds, 0.01 s), `pelvic_tilt_mean`,
/// `pelvic_tilt_min`, `pelvic_tilt_max`, `pelvic_obliquity_mean`, `lumbar_flexion_mean`,
/// `lumbar_flexion_min`, `lumbar_flexion_max` (degrees, 0.01°), `steps`, `samples`,
/// `expected_samples`, `overruns`, `sensor_faults` (counts). JSON lines have the same keys,
/// with `null` for missing values.
public enum ExportFormatter {
    public static let columns = [
        "start_local", "start_unix", "sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s", "slouch_s",
        "pelvic_tilt_mean", "pelvic_tilt_min", "pelvic_tilt_max", "pelvic_obliquity_mean",
        "lumbar_flexion_mean", "lumbar_flexion_min", "lumbar_flexion_max",
        "steps", "samples", "expected_samples", "overruns", "sensor_faults",
    ]
    public static let csvHeader = columns.joined(separator: ",")

    public static func csvRow(_ minute: DatedMinute, zone: LocalTimeZone) -> String {
        cells(minute, zone: zone).map { $0 ?? "" }.joined(separator: ",")
    }

    public static func jsonLine(_ minute: DatedMinute, zone: LocalTimeZone) -> String {
        let values = cells(minute, zone: zone)
        let members = zip(columns, values).enumerated().map { index, pair in
            let value = pair.1.map { index == 0 ? TextFormat.jsonString($0) : $0 } ?? "null"
            return "\"\(pair.0)\":\(value)"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Cell texts in `columns` order; nil for a missing value.
    static func cells(_ minute: DatedMinute, zone: LocalTimeZone) -> [String?] {
        let d = minute.data
        func s(_ v: Double) -> String { TextFormat.number(v, decimals: 2) }
        func a(_ v: Double?) -> String? { v.map { TextFormat.number($0, decimals: 2) } }
        return [
            zone.components(Double(minute.startUnix)).iso8601, String(minute.startUnix),
            s(d.sittingSeconds), s(d.standingSeconds), s(d.walkingSeconds), s(d.lyingSeconds), s(d.unknownSeconds),
            s(d.slouchSeconds), a(d.pelvicTilt?.mean), a(d.pelvicTilt?.min), a(d.pelvicTilt?.max), a(d.pelvicObliquityMean),
            a(d.lumbarFlexion?.mean), a(d.lumbarFlexion?.min), a(d.lumbarFlexion?.max),
            String(d.steps), String(d.samples), String(d.expectedSamples), String(d.overruns), String(d.sensorFaults),
        ]
    }
}
