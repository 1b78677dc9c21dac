import PostureCore
@testable import PostureStore
import XCTest

/// Issue 14, "Feedback that fades", over simulated weeks: the real `NudgePolicy` nudges a
/// simulated wearer, its decisions go into a real day log as the daemon writes them, and each
/// morning the level comes from that log (`DayLog.feedbackPlan`), as at the daemon's midnight.
///
/// The wearer is driven by synthetic angles at 10 Hz rather than the IMU simulator (seven
/// days of the full engine would take minutes here). The simulated wearer of PostureSim is
/// open-loop (it does not feel nudges), so each day's responses are constructed
/// deterministically instead: every slouch episode ends a fixed `correction` seconds after the
/// first (gentle) nudge the day's level gives it. A wearer who improves corrects sooner day by
/// day; one who does not always takes a minute.
final class FeedbackWeekTests: XCTestCase {
    private static let settings = FeedbackSettings(mode: .fading)
    private static let rate = 10.0
    private static let reference = SittingReference(pelvicTilt: -17, lumbarFlexion: nil)
    /// Slouch episodes a day: enough nudges for a rate (`FeedbackSchedule.minimumNudgesForRate`).
    private static let episodesPerDay = 8

    struct Day: Equatable {
        var level: Int
        var gentle: Int
        var full: Int
    }

    func testWearerWhoImprovesGetsLessFeedbackEachDayToTheCap() throws {
        let week = try simulateWeek(corrections: [30, 10, 8, 6, 5, 5, 5])
        XCTAssertEqual(week.map(\.level), [0, 0, 0, 0, 1, 2, 3])
        // Day 1 corrects only after the full pattern; from day 2 the gentle cue suffices.
        XCTAssertEqual(week.map(\.full), [8, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(week.map(\.gentle), [8, 8, 8, 8, 8, 8, 8])
    }

    func testWearerWhoDoesNotImproveKeepsFullFeedback() throws {
        let week = try simulateWeek(corrections: Array(repeating: 60, count: 7))
        XCTAssertEqual(week.map(\.level), [0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(week.map(\.full), Array(repeating: 8, count: 7))
        XCTAssertEqual(week.map(\.gentle), Array(repeating: 8, count: 7))
    }

    /// One day per element of `corrections`; returns each day's level and delivered slouch
    /// nudges by intensity, as read back from the day log.
    private func simulateWeek(corrections: [Double]) throws -> [Day] {
        let directory = TemporaryDirectory()
        let log = try DayLog.open(path: directory.logPath, mode: .readWrite)
        var policy = NudgePolicy(configuration: PolicyConfiguration(feedback: Self.settings))
        var days: [Day] = []
        var date = Fixtures.day
        var tickIndex = 0
        for (index, correction) in corrections.enumerated() {
            let dayStart = Double(Fixtures.dayStart) + Double(index) * 86_400
            let plan = try log.feedbackPlan(for: date, zone: .utc, settings: Self.settings)
            // The engine's clock is the monotonic one: the wearer's day starts at 09:00.
            tickIndex = max(tickIndex, Int((Double(index) * 86_400 + 9 * 3600) * Self.rate))
            var events = [FeedbackRecord(date: date, plan: plan, settings: Self.settings).event(at: dayStart + 9 * 3600 - 1)]
            policy.startNewDay()
            policy.setFeedbackLevel(plan.level)
            let slouchLength = plan.level.slouchNudgeDelay(hold: policy.configuration.slouchHold) + correction
            func run(_ seconds: Double, _ activity: Activity, posterior: Double = 0) {
                let angles = SegmentAngles(
                    pelvicTilt: Self.reference.pelvicTilt - posterior, pelvicObliquity: 0, lumbarFlexion: nil)
                for _ in 0..<Int((seconds * Self.rate).rounded()) {
                    let t = Double(tickIndex) / Self.rate
                    let decision = policy.step(
                        t: t, activity: activity, angles: angles, sittingReference: Self.reference, localTimeOfDay: nil)
                    // Made on engine time and dated by a fixed offset, as `DayLogBuffer` dates them.
                    events += LogEvent.events(for: decision, at: t).map { event in
                        var dated = event
                        dated.time += Double(Fixtures.dayStart)
                        return dated
                    }
                    tickIndex += 1
                }
            }
            for _ in 0..<Self.episodesPerDay {
                run(60, .sitting)
                run(slouchLength, .sitting, posterior: 15)
                run(60, .sitting)
                run(120, .standing)  // ends the bout: no sitting_too_long in this test
            }
            try log.append(StoreBatch(events: events))
            let nudges = try log.events(from: dayStart, to: dayStart + 86_400).filter { $0.kind == .nudge }
            XCTAssertTrue(nudges.allSatisfy { $0.string("reason") == "slouch" })
            days.append(Day(
                level: plan.level.value, gentle: nudges.filter { $0.nudgeIntensity == .gentle }.count,
                full: nudges.filter { $0.nudgeIntensity == .full }.count))
            date = date.next
        }
        // Deterministic: the log alone gives each day's level again, as a restart would.
        var check = Fixtures.day
        for day in days {
            XCTAssertEqual(try log.feedbackPlan(for: check, zone: .utc, settings: Self.settings).level.value, day.level)
            check = check.next
        }
        return days
    }
}
