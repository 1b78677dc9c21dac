import PostureCore
@testable import PostureStore
import XCTest

final class FormattingTests: XCTestCase {
    let zone = LocalTimeZone.fixed(offsetSeconds: 2 * 3600)
    /// 2024-05-01 08:12:03 local (+02:00).
    let t = Double(Fixtures.dayStart) + 6 * 3600 + 12 * 60 + 3

    func testLocalDates() {
        XCTAssertEqual(LocalDate(parsing: "2024-02-29"), LocalDate(year: 2024, month: 2, day: 29))
        XCTAssertNil(LocalDate(parsing: "2023-02-29"))
        XCTAssertNil(LocalDate(parsing: "2024-5-1"))
        XCTAssertNil(LocalDate(parsing: "yesterday"))
        XCTAssertEqual(LocalDate(year: 2024, month: 12, day: 31).next, LocalDate(year: 2025, month: 1, day: 1))
        XCTAssertEqual(LocalTimeZone.utc.startOfDay(Fixtures.day), Double(Fixtures.dayStart))
        XCTAssertEqual(zone.range(of: Fixtures.day), Double(Fixtures.dayStart) - 7200..<Double(Fixtures.dayStart) - 7200 + 86_400)
        XCTAssertEqual(zone.components(t).iso8601, "2024-05-01T08:12:03+02:00")
        XCTAssertEqual(LocalTimeZone.fixed(offsetSeconds: -9000).components(t).iso8601, "2024-05-01T03:42:03-02:30")
        XCTAssertEqual(LocalTimeZone.utc.components(-1).iso8601, "1969-12-31T23:59:59+00:00")
    }

    func testLogLines() {
        XCTAssertEqual(LogFormatter.humanLine(.nudge(.slouch, at: t), zone: zone), "08:12:03  NUDGE slouch")
        XCTAssertEqual(LogFormatter.humanLine(.activity(.sitting, at: t), zone: zone), "08:12:03  now sitting")
        XCTAssertEqual(
            LogFormatter.humanLine(.boutEnded(SittingBout(start: t - 2760, duration: 2700), at: t), zone: zone),
            "08:12:03  sitting bout of 45m (from 07:26:03) ended")
        XCTAssertEqual(
            LogFormatter.humanLine(.slouch(.started(onset: t - 30), at: t), zone: zone), "08:12:03  slouching since 08:11:33")
        XCTAssertEqual(
            LogFormatter.humanLine(.gap(LogGap(start: t, end: t + 1200, reason: .daemonDown)), zone: zone),
            "08:12:03  GAP until 08:32:03 (20m): daemon_down")
        XCTAssertEqual(
            LogFormatter.humanLine(.nudgeSuppressed(SuppressedNudge(reason: .slouch, cause: .snoozed), at: t), zone: zone),
            "08:12:03  nudge slouch suppressed (snoozed)")
        XCTAssertEqual(
            LogFormatter.humanLine(LogEvent(time: t, kind: EventKind(rawValue: "future_kind"), detail: ["x": .number(1)]), zone: zone),
            "08:12:03  future_kind {\"x\":1}")
        XCTAssertEqual(
            LogFormatter.jsonLine(.nudge(.sittingTooLong, at: t + 0.25), zone: zone),
            "{\"time\":\"2024-05-01T08:12:03+02:00\",\"time_unix\":\(Int(t)).25,\"kind\":\"nudge\",\"detail\":{\"reason\":\"sitting_too_long\"}}")
        XCTAssertEqual(
            LogFormatter.format([], date: Fixtures.day, zone: zone, json: false), "Posture log for 2024-05-01\n  (nothing recorded)")
    }

    func testReportJSONStartsWithTheReplaySummaryKeys() {
        let minute = Fixtures.minute(Int64(t) / 60 * 60, flexion: nil)
        let report = DayReport(
            date: Fixtures.day, range: zone.range(of: Fixtures.day), minutes: [minute], events: [.nudge(.slouch, at: t)],
            gaps: [LogGap(start: t + 600, end: t + 900, reason: .sensorLost)])
        let json = ReportFormatter.json(report, zone: zone)
        let keys = topLevelKeys(json)
        XCTAssertEqual(Array(keys.prefix(ReportFormatter.summaryKeys.count)), ReportFormatter.summaryKeys)
        XCTAssertEqual(Array(keys.dropFirst(ReportFormatter.summaryKeys.count)), ReportFormatter.extraKeys)
        XCTAssertTrue(json.hasPrefix("{\"type\":\"summary\",\"duration_s\":60,\"sitting_s\":60,"), json)
        XCTAssertTrue(json.contains("\"nudges\":{\"slouch\":1,\"sitting_too_long\":0}"), json)
        XCTAssertTrue(json.contains("\"lumbar_flexion\":null"), json)
        XCTAssertTrue(json.contains("\"pelvic_tilt\":{\"mean\":-18,\"p50\":-18,\"p95\":-18}"), json)
        XCTAssertTrue(
            json.contains("\"gaps\":[{\"start\":\"2024-05-01T08:22:03+02:00\",\"end\":\"2024-05-01T08:27:03+02:00\",\"reason\":\"sensor_lost\",\"duration_s\":300}]"),
            json)
        let human = ReportFormatter.human(report, zone: zone)
        XCTAssertTrue(human.hasPrefix("Day report for 2024-05-01 (1m recorded)"), human)
        XCTAssertTrue(human.contains("  nudges: 1 slouch, 0 sitting_too_long"), human)
        XCTAssertTrue(human.contains("    08:22:03–08:27:03  sensor_lost (5m)"), human)
        XCTAssertTrue(human.contains("lumbar flexion: not measured"), human)
    }

    func testExportCSVAndJSON() {
        var minute = Fixtures.minute(Fixtures.dayStart, sitting: 45.125, standing: 14.875, tilt: -18.456, flexion: nil, steps: 3)
        minute.data.unknownSeconds = 0
        XCTAssertEqual(
            ExportFormatter.csvHeader,
            "start_local,start_unix,sitting_s,standing_s,walking_s,lying_s,unknown_s,slouch_s,pelvic_tilt_mean,pelvic_tilt_min,pelvic_tilt_max,pelvic_obliquity_mean,lumbar_flexion_mean,lumbar_flexion_min,lumbar_flexion_max,steps,samples,expected_samples,overruns,sensor_faults")
        XCTAssertEqual(
            ExportFormatter.csvRow(minute, zone: zone),
            "2024-05-01T02:00:00+02:00,1714521600,45.13,14.88,0,0,0,0,-18.46,-20.46,-16.46,1,,,,3,3000,3000,0,0")
        let json = ExportFormatter.jsonLine(minute, zone: zone)
        XCTAssertTrue(json.hasPrefix("{\"start_local\":\"2024-05-01T02:00:00+02:00\",\"start_unix\":1714521600,\"sitting_s\":45.13,"), json)
        XCTAssertTrue(json.contains("\"lumbar_flexion_mean\":null"), json)
        XCTAssertEqual(topLevelKeys(json), ExportFormatter.columns)
    }

    func testNumbers() {
        XCTAssertEqual(TextFormat.number(-0.001), "0")
        XCTAssertEqual(TextFormat.number(12.345), "12.35")
        XCTAssertEqual(TextFormat.number(-7.1), "-7.1")
        XCTAssertEqual(TextFormat.number(3), "3")
        XCTAssertEqual(TextFormat.number(.nan), "null")
    }

    func testStateDirectoryResolution() {
        XCTAssertEqual(StateDirectory.resolve(flag: "/tmp/x", environment: "/var/lib/other"), "/tmp/x")
        XCTAssertEqual(StateDirectory.resolve(flag: nil, environment: "/var/lib/postured:/var/lib/extra"), "/var/lib/postured")
        XCTAssertEqual(StateDirectory.resolve(flag: nil, environment: nil), "/var/lib/postured")
        XCTAssertEqual(DayLog.filePath(inStateDirectory: "/var/lib/postured/"), "/var/lib/postured/daylog.sqlite3")
    }

    /// The keys of a flat-ish JSON object, in order, at nesting depth 1.
    func topLevelKeys(_ json: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var current = ""
        var expectingKey = false
        var previous: Character = " "
        for c in json {
            if inString {
                if c == "\"" && previous != "\\" {
                    inString = false
                    if depth == 1 && expectingKey { keys.append(current) }
                    expectingKey = false
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inString = true
                current = ""
            } else if c == "{" || c == "[" {
                depth += 1
                if depth == 1 { expectingKey = true }
            } else if c == "}" || c == "]" {
                depth -= 1
            } else if c == "," && depth == 1 {
                expectingKey = true
            }
            previous = c
        }
        return keys
    }
}
