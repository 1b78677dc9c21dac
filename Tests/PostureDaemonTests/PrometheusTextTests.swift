import PostureControl
import PostureCore
@testable import PostureDaemon
@testable import PostureStore
import Foundation
import XCTest

/// The metrics file's formatter (`PrometheusText`) and what the daemon puts in it
/// (`PosturedMetrics`): the text format node_exporter parses, Prometheus's naming rules.
final class PrometheusTextTests: XCTestCase {
    func testHelpTypeAndSamplesOfACounterAndAGauge() {
        let text = PrometheusText.render([
            MetricFamily("loop_overruns", .counter, help: "Deadlines missed.", samples: [.init(3)]),
            MetricFamily("day_sitting_seconds", .gauge, help: "Time sitting.", samples: [.init(1234.5)]),
        ])
        XCTAssertEqual(text, """
            # HELP postured_loop_overruns_total Deadlines missed.
            # TYPE postured_loop_overruns_total counter
            postured_loop_overruns_total 3
            # HELP postured_day_sitting_seconds Time sitting.
            # TYPE postured_day_sitting_seconds gauge
            postured_day_sitting_seconds 1234.5

            """)
    }

    func testLabelValuesAndHelpAreEscaped() {
        XCTAssertEqual(PrometheusText.escapeLabelValue(#"a\b"c"# + "\nd"), #"a\\b\"c\nd"#)
        // A quote followed by a combining mark is one Character, but still a quote to the reader.
        XCTAssertEqual(PrometheusText.escapeLabelValue("x\"\u{301}"), "x\\\"\u{301}")
        XCTAssertEqual(PrometheusText.escapeHelp(#"say "hi" \ "# + "\nbye"), #"say "hi" \\ \nbye"#)
        let text = PrometheusText.render([
            MetricFamily("info", .gauge, help: "x", samples: [.init(1, labels: [("version", "0.1 \"dev\""), ("role", "upper lumbar")])]),
        ])
        XCTAssertTrue(text.contains(#"postured_info{version="0.1 \"dev\"",role="upper lumbar"} 1"#), text)
    }

    func testNumbersAsTheFormatSpellsThem() {
        XCTAssertEqual(PrometheusText.number(0), "0")
        XCTAssertEqual(PrometheusText.number(-0.0), "0")
        XCTAssertEqual(PrometheusText.number(42), "42")
        XCTAssertEqual(PrometheusText.number(0.25), "0.25")
        XCTAssertEqual(PrometheusText.number(.nan), "NaN")
        XCTAssertEqual(PrometheusText.number(.infinity), "+Inf")
        XCTAssertEqual(PrometheusText.number(-.infinity), "-Inf")
        XCTAssertEqual(Double(PrometheusText.number(1.7e300)), 1.7e300)
    }

    func testAFamilyWithoutSamplesKeepsItsHelpAndType() {
        let text = PrometheusText.render([MetricFamily("day_sample_ratio", .gauge, help: "r", samples: [])])
        XCTAssertEqual(text, "# HELP postured_day_sample_ratio r\n# TYPE postured_day_sample_ratio gauge\n")
    }

    func testNameValidity() {
        XCTAssertTrue(PrometheusText.isValidName("postured_day_nudges"))
        XCTAssertTrue(PrometheusText.isValidName("a:b"))
        XCTAssertFalse(PrometheusText.isValidName("a:b", label: true))
        XCTAssertFalse(PrometheusText.isValidName("__reason", label: true))
        XCTAssertFalse(PrometheusText.isValidName("1abc"))
        XCTAssertFalse(PrometheusText.isValidName("day-nudges"))
        XCTAssertFalse(PrometheusText.isValidName(""))
    }

    // MARK: What the daemon exports

    func testEveryExportedMetricFollowsPrometheusNaming() {
        let families = PosturedMetrics.families(day: Self.day(), status: Self.status())
        var seen = Set<String>()
        for family in families {
            let name = family.exposedName
            XCTAssertTrue(seen.insert(name).inserted, "\(name) twice")
            XCTAssertTrue(name.hasPrefix("postured_"), name)
            XCTAssertTrue(PrometheusText.isValidName(name), name)
            XCTAssertEqual(family.kind == .counter, name.hasSuffix("_total"), "\(name): only counters end in _total")
            XCTAssertFalse(family.help.isEmpty, "\(name) has no HELP")
            for unit in ["_ms", "_minutes", "_hours", "_milliseconds"] { XCTAssertFalse(name.contains(unit), "\(name): not a base unit") }
            for sample in family.samples {
                for label in sample.labels { XCTAssertTrue(PrometheusText.isValidName(label.name, label: true), "\(name): \(label.name)") }
            }
        }
        for time in [
            "day_sitting", "day_slouched", "day_walking", "day_longest_sitting_bout", "day_gap", "uptime", "supervisor_longest_stall",
            "loop_lateness_median", "loop_lateness_p99", "loop_lateness_max",
        ] {
            XCTAssertTrue(seen.contains("postured_\(time)_seconds"), "postured_\(time)_seconds missing: \(seen.sorted())")
        }
        for counter in ["loop_overruns", "sensor_faults"] {
            XCTAssertTrue(seen.contains("postured_\(counter)_total"), "postured_\(counter)_total missing")
        }
    }

    func testTheDayFiguresAreTheReportsFigures() {
        let day = Self.day()
        let text = PrometheusText.render(PosturedMetrics.families(day: day, status: Self.status()))
        let values = Self.samples(of: text)
        XCTAssertEqual(values["postured_day_sitting_seconds"], day.summary.sittingSeconds)
        XCTAssertEqual(values["postured_day_slouched_seconds"], day.summary.slouchSeconds)
        XCTAssertEqual(values["postured_day_walking_seconds"], day.summary.walkingSeconds)
        XCTAssertEqual(values[#"postured_day_nudges{reason="slouch"}"#], 2)
        XCTAssertEqual(values[#"postured_day_nudges{reason="sitting_too_long"}"#], 0, "every reason is exported, zero too")
        XCTAssertEqual(values["postured_day_longest_sitting_bout_seconds"], day.summary.longestSittingBoutSeconds)
        XCTAssertEqual(values["postured_day_overruns"], 3)
        XCTAssertEqual(values["postured_day_sensor_fault_samples"], 7)
        XCTAssertEqual(values["postured_day_sample_ratio"], day.quality.sampleRatio)
        XCTAssertEqual(values[#"postured_sensor_faults_total{sensor="0",role="pelvis"}"#], 4)
        XCTAssertEqual(values[#"postured_sensor_up{sensor="0",role="pelvis"}"#], 0)
        XCTAssertEqual(values["postured_loop_overruns_total"], 9)
        XCTAssertEqual(values["postured_supervisor_longest_stall_seconds"], 0.5)
        // status's microseconds as seconds
        XCTAssertEqual(values["postured_loop_lateness_median_seconds"], 45e-6)
        XCTAssertEqual(values["postured_loop_lateness_p99_seconds"], 128e-6)
        XCTAssertEqual(values["postured_loop_lateness_max_seconds"], 2500e-6)
    }

    func testTheFeedbackLevelIsExportedInFadingModeOnly() {
        var status = Self.status()
        status.feedback = FeedbackStatus(mode: .fading, level: 2, basis: "stepped_up", rate: 0.9, explanation: "level 2")
        XCTAssertEqual(Self.samples(of: PrometheusText.render(PosturedMetrics.families(day: nil, status: status)))["postured_feedback_level"], 2)
        status.feedback = FeedbackStatus(mode: .constant, level: 0, basis: "constant", rate: nil, explanation: "constant")
        XCTAssertNil(Self.samples(of: PrometheusText.render(PosturedMetrics.families(day: nil, status: status)))["postured_feedback_level"])
    }

    func testWithoutADayOnlyTheHealthIsExported() {
        let text = PrometheusText.render(PosturedMetrics.families(day: nil, status: Self.status()))
        XCTAssertFalse(text.contains("postured_day_"), text)
        XCTAssertTrue(text.contains("postured_clock_synchronized 0"), text)
    }

    /// `docs/grafana-dashboard.json` is a JSON document and asks only for metrics the daemon exports.
    func testTheDashboardNamesOnlyExportedMetrics() throws {
        let path = DaemonHarness.packageRoot.appendingPathComponent("docs/grafana-dashboard.json").path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let dashboard = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], "not a JSON object")
        XCTAssertNotNil(dashboard["panels"] as? [Any])
        let exported = Set(PosturedMetrics.families(day: Self.day(), status: Self.status()).map(\.exposedName))
        let text = String(decoding: data, as: UTF8.self)
        var named = Set<String>()
        var rest = Substring(text)
        while let start = rest.range(of: "postured_") {
            let name = rest[start.lowerBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            named.insert(String(name))
            rest = rest[name.endIndex...]
        }
        XCTAssertFalse(named.isEmpty)
        XCTAssertEqual(named.subtracting(exported), [], "the dashboard asks for metrics postured does not export")
    }

    // MARK: Fixtures

    /// `name{labels}` → value, from the text (labels as the exposition writes them).
    static func samples(of text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            values[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return values
    }

    static func day() -> DayReport {
        var minute = MinuteData()
        minute.sittingSeconds = 40
        minute.slouchSeconds = 12.5
        minute.walkingSeconds = 20
        minute.samples = 5990
        minute.expectedSamples = 6000
        minute.overruns = 3
        minute.sensorFaults = 7
        let start = 1_699_999_980.0  // a minute boundary
        let nudge = LogEvent.nudge(.slouch, at: start + 30)
        return DayReport(
            date: LocalTimeZone.utc.components(start).date, range: start..<(start + 86_400),
            minutes: [DatedMinute(startUnix: Int64(start), data: minute)],
            events: [nudge, LogEvent.nudge(.slouch, at: start + 50)], gaps: [])
    }

    static func status() -> StatusReport {
        StatusReport(
            daemonVersion: "0.1.0", uptimeSeconds: 3600,
            sensors: [PostureControl.SensorStatus(index: 0, chip: "MPU-6050", bus: "/dev/i2c-1", address: 0x68,
                health: .init(state: .faulted, code: "nack", faults: 4))],
            sampling: SamplingStatus(rateHz: 100, overruns: 9, droppedReports: 0, droppedEvents: 0, longestSupervisorStallSeconds: 0.5,
                latenessLastMinute: LatenessSummary(p50Microseconds: 45, p99Microseconds: 128, maxMicroseconds: 2500, wakes: 6000)),
            calibrated: true, activity: .sitting, angles: nil, slouching: false, boutSeconds: nil,
            snoozeRemainingSeconds: nil, nudgesToday: NudgeCounts(), lastNudge: nil,
            store: StoreStatus(path: "/var/lib/postured/daylog.sqlite3", lastWriteAgoSeconds: 1), clockTrusted: false)
    }
}
