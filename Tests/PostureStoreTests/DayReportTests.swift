import PostureCore
@testable import PostureStore
import XCTest

final class DayReportTests: XCTestCase {
    let zone = LocalTimeZone.fixed(offsetSeconds: 2 * 3600)
    /// 2024-05-01 00:00 local (+02:00).
    var midnight: Double { Double(Fixtures.dayStart) - 2 * 3600 }

    func sampleDay() -> (minutes: [DatedMinute], events: [LogEvent], gaps: [LogGap]) {
        let m0 = Int64(midnight) + 8 * 3600  // 08:00 local
        var minutes: [DatedMinute] = []
        // 08:00–08:30 sitting (tilt −18, then slouched −30 for 10 minutes), 08:30–08:40 walking.
        for k in 0..<30 {
            minutes.append(Fixtures.minute(m0 + Int64(k) * 60, sitting: 60, slouch: k >= 20 ? 60 : 0, tilt: k >= 20 ? -30 : -18, flexion: 20))
        }
        for k in 30..<40 {
            var walk = Fixtures.minute(m0 + Int64(k) * 60, sitting: 0, tilt: 5, flexion: 5, steps: 100)
            walk.data.walkingSeconds = 60
            minutes.append(walk)
        }
        // A minute of the previous day and one of the next (must be left out).
        minutes.append(Fixtures.minute(Int64(midnight) - 60))
        minutes.append(Fixtures.minute(Int64(midnight) + 86_400))
        let t0 = Double(m0)
        let events = [
            LogEvent(time: t0, kind: .activity, detail: ["activity": .string("sitting")]),
            LogEvent(time: t0 + 20 * 60 + 30, kind: .slouchStart, detail: ["onset_offset_s": .number(-30)]),
            LogEvent(time: t0 + 21 * 60, kind: .nudge, detail: ["reason": .string("slouch")]),
            LogEvent(time: t0 + 26 * 60, kind: .nudge, detail: ["reason": .string("slouch")]),
            LogEvent(time: t0 + 29 * 60, kind: .nudgeSuppressed, detail: ["reason": .string("sitting_too_long"), "cause": .string("daily_cap")]),
            LogEvent(time: t0 + 30 * 60, kind: .activity, detail: ["activity": .string("walking")]),
            LogEvent(time: t0 + 31 * 60, kind: .boutEnd, detail: ["duration_s": .number(1800), "start_offset_s": .number(-1860)]),
            LogEvent(time: midnight - 10, kind: .nudge, detail: ["reason": .string("sitting_too_long")]),
        ]
        let gaps = [
            LogGap(start: midnight - 3600, end: midnight + 7 * 3600, reason: .daemonDown),  // overnight, clipped
            LogGap(start: t0 + 45 * 60, end: t0 + 50 * 60, reason: .sensorLost),
            LogGap(start: t0 + 48 * 60, end: t0 + 52 * 60, reason: .reportsDropped),  // overlaps the previous
        ]
        return (minutes, events, gaps)
    }

    func testDayReportValues() {
        let day = sampleDay()
        let report = DayReport(date: Fixtures.day, range: zone.range(of: Fixtures.day), minutes: day.minutes, events: day.events, gaps: day.gaps)
        let s = report.summary
        XCTAssertEqual(report.minutesRecorded, 40)
        XCTAssertEqual(s.sittingSeconds, 1800)
        XCTAssertEqual(s.walkingSeconds, 600)
        XCTAssertEqual(s.durationSeconds, 2400)
        XCTAssertEqual(s.slouchSeconds, 600)
        XCTAssertEqual(s.nudges.slouch, 2)
        XCTAssertEqual(s.nudges.sittingTooLong, 0, "the previous day's nudge is not counted")
        XCTAssertEqual(s.suppressedNudges.dailyCap, 1)
        XCTAssertEqual(s.longestSittingBoutSeconds, 1800)
        XCTAssertEqual(s.steps, 1000)
        // Tilt: 20 minutes at −18, 10 at −30, 10 at +5, equal weights.
        let expectedTilt: Double = (20 * -18.0 + 10 * -30.0 + 10 * 5.0) / 40
        XCTAssertEqual(s.pelvicTilt?.mean ?? 0, expectedTilt, accuracy: 1e-9)
        XCTAssertEqual(s.pelvicTilt?.p50, -18)
        XCTAssertEqual(s.pelvicTilt?.p95, 5)
        let expectedFlexion: Double = (30 * 20.0 + 10 * 5.0) / 40
        XCTAssertEqual(s.lumbarFlexion?.mean ?? 0, expectedFlexion, accuracy: 1e-9)
        XCTAssertEqual(report.gaps.count, 3)
        XCTAssertEqual(report.gaps.first, LogGap(start: midnight, end: midnight + 7 * 3600, reason: .daemonDown))
        XCTAssertEqual(report.gapSeconds, 7 * 3600 + 7 * 60)
        XCTAssertEqual(report.quality.samples, 40 * 3000)
    }

    func testOpenBoutIsEstimatedFromTrailingMinutes() {
        let m0 = Int64(midnight) + 10 * 3600
        var minutes = (0..<50).map { Fixtures.minute(m0 + Int64($0) * 60, sitting: 60) }
        // A 40-s stand in minute 10 does not end the bout; a 70-s walk (split 30 + 40) is not
        // seen as one break either (per-minute rule), but a gap in the minutes is.
        minutes[10].data.sittingSeconds = 20
        minutes[10].data.standingSeconds = 40
        minutes.remove(at: 5)
        let report = DayReport(date: Fixtures.day, range: zone.range(of: Fixtures.day), minutes: minutes, events: [], gaps: [])
        XCTAssertEqual(report.summary.longestSittingBoutSeconds, 44 * 60 - 40)
    }

    func testReportFromTheStoreMatchesThePureComputation() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let day = sampleDay()
        try log.append(StoreBatch(minutes: day.minutes, events: day.events, gaps: day.gaps))
        let stored = try log.report(for: Fixtures.day, in: zone)
        XCTAssertEqual(stored.summary.sittingSeconds, 1800)
        XCTAssertEqual(stored.summary.nudges.slouch, 2)
        XCTAssertEqual(stored.gapSeconds, 7 * 3600 + 7 * 60)
        XCTAssertEqual(stored.minutesRecorded, 40)
    }

    func testEmptyDay() {
        let report = DayReport(date: Fixtures.day, range: zone.range(of: Fixtures.day), minutes: [], events: [], gaps: [])
        XCTAssertNil(report.summary.steps)
        XCTAssertNil(report.summary.pelvicTilt)
        XCTAssertEqual(report.summary.durationSeconds, 0)
    }
}
