import PostureCore
@testable import PostureStore
import XCTest

/// Fading feedback in the day log: gentle cues and the day's level, as `posturectl log` and
/// `report` show them, and the `feedback` event read back as it was written.
final class FeedbackLogTests: XCTestCase {
    let zone = LocalTimeZone.fixed(offsetSeconds: 2 * 3600)
    /// 2024-05-01 08:12:03 local (+02:00).
    let t = Double(Fixtures.dayStart) + 6 * 3600 + 12 * 60 + 3
    let settings = FeedbackSettings(mode: .fading)
    let plan = FeedbackPlan(
        level: FeedbackLevel(2), previousLevel: FeedbackLevel(1), basis: .steppedUp, rate: 0.85, nudges: 20, days: 3)

    func testGentleNudgeIsMarkedAndAFullOneIsWrittenAsBefore() {
        XCTAssertEqual(
            LogFormatter.humanLine(.nudge(.slouch, intensity: .gentle, at: t), zone: zone), "08:12:03  NUDGE slouch (gentle cue)")
        XCTAssertNil(LogEvent.nudge(.slouch, intensity: .full, at: t).detail["intensity"], "a full nudge is written as before fading feedback")
        XCTAssertEqual(LogEvent.nudge(.slouch, intensity: .gentle, at: t).detail["intensity"]?.string, "gentle")
        XCTAssertEqual(LogEvent.nudge(.slouch, at: t).nudgeIntensity, .full)
    }

    /// A corrupt or foreign row is no record, never a trap: the daemon reads the last one at
    /// every start, so a trap there would be a restart loop with no nudging.
    func testAFeedbackRowWithOutOfRangeNumbersIsNoRecord() {
        var event = FeedbackRecord(date: Fixtures.day, plan: plan, settings: settings).event(at: t)
        event.detail["level"] = .number(1e300)
        XCTAssertNil(FeedbackRecord(event: event))
        event.detail["level"] = .number(-3)
        XCTAssertNil(FeedbackRecord(event: event))
        event.detail["level"] = .number(2)
        event.detail["rate"] = .number(1e300)
        event.detail["nudges"] = .number(-1e300)
        event.detail["max_level"] = .number(.infinity)
        let record = try? XCTUnwrap(FeedbackRecord(event: event))
        XCTAssertEqual(record?.plan.level, FeedbackLevel(2))
        XCTAssertNil(record?.plan.rate)
        XCTAssertEqual(record?.plan.nudges, 0)
        XCTAssertEqual(record?.settings.maxLevel, FeedbackSettings.standard.maxLevel)
    }

    func testFeedbackRecordRoundTripsAndSaysWhy() {
        let record = FeedbackRecord(date: Fixtures.day, plan: plan, settings: settings)
        XCTAssertEqual(FeedbackRecord(event: record.event(at: t)), record)
        XCTAssertEqual(
            LogFormatter.humanLine(record.event(at: t), zone: zone),
            "08:12:03  feedback level 2: 85% of 20 slouch nudges corrected in time over 3 days: less feedback")
    }

    func testFeedbackRecordSurvivesTheDayLogAndShowsInTheReport() throws {
        let directory = TemporaryDirectory()
        let log = try DayLog.open(path: directory.logPath, mode: .readWrite)
        let record = FeedbackRecord(date: Fixtures.day, plan: plan, settings: settings)
        try log.append(StoreBatch(
            minutes: [Fixtures.minute(Int64(t) / 60 * 60)],
            events: [record.event(at: t), .nudge(.slouch, intensity: .gentle, at: t + 30), .nudge(.slouch, at: t + 50)]))
        XCTAssertEqual(try log.lastFeedbackRecord(before: t + 1), record)
        XCTAssertNil(try log.lastFeedbackRecord(before: t))
        let report = try log.report(for: Fixtures.day, in: zone)
        XCTAssertEqual(report.feedback, record)
        XCTAssertEqual(report.gentleNudges, 1)
        XCTAssertTrue(
            ReportFormatter.human(report, zone: zone).contains(
                "  feedback: fading, level 2: 85% of 20 slouch nudges corrected in time over 3 days: less feedback; "
                    + "1 of 2 nudges gentle cues"),
            ReportFormatter.human(report, zone: zone))
        let json = ReportFormatter.json(report, zone: zone)
        XCTAssertTrue(
            json.hasSuffix(
                ",\"feedback\":{\"basis\":\"stepped_up\",\"correction_window_s\":15,\"date\":\"\(Fixtures.day)\",\"days\":3,"
                    + "\"escalation_s\":20,\"gentle_nudges\":1,\"history_days\":3,\"level\":2,\"max_level\":3,\"mode\":\"fading\","
                    + "\"nudges\":20,\"previous_level\":1,\"rate\":0.85,\"step_down_rate\":0.5,\"step_up_rate\":0.8}}"),
            json)
    }

    func testConstantModeReportsNoFeedbackInJSON() throws {
        let directory = TemporaryDirectory()
        let log = try DayLog.open(path: directory.logPath, mode: .readWrite)
        try log.append(StoreBatch(minutes: [Fixtures.minute(Int64(t) / 60 * 60)], events: [.nudge(.slouch, at: t + 50)]))
        XCTAssertTrue(ReportFormatter.json(try log.report(for: Fixtures.day, in: zone), zone: zone).hasSuffix(",\"feedback\":null}"))
    }
}
