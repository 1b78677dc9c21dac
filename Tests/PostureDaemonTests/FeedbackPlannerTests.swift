import PostureCore
@testable import PostureDaemon
import PostureStore
import XCTest

/// Fading feedback is a side feature: when the day log cannot be read to compute the day's
/// level, nudging goes on at the last known level (full feedback if none), reported once.
final class FeedbackPlannerTests: XCTestCase {
    private struct Unreadable: Error {}
    private let monday = LocalDate(year: 2024, month: 5, day: 6)

    private func plan(_ level: Int) -> FeedbackPlan {
        FeedbackPlan(level: FeedbackLevel(level), previousLevel: FeedbackLevel(level - 1), basis: .steppedUp, rate: 0.9, nudges: 10, days: 1)
    }

    private func day(_ planner: inout FeedbackPlanner, _ date: LocalDate, recorded: FeedbackLevel? = nil,
                     _ read: () throws -> FeedbackPlan) -> FeedbackPlanner.Outcome? {
        planner.planDay(date, read: read, lastRecorded: { recorded })
    }

    func testOncePerDay() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(day(&planner, monday) { self.plan(2) }?.plan.level, FeedbackLevel(2))
        XCTAssertNil(day(&planner, monday) { self.plan(3) }, "the day already has its level")
        XCTAssertEqual(day(&planner, monday.next) { self.plan(3) }?.plan.level, FeedbackLevel(3))
    }

    func testUnreadableLogKeepsTheLastKnownLevelWarnsOnceAndTriesAgain() {
        var planner = FeedbackPlanner()
        _ = day(&planner, monday) { self.plan(2) }
        let first = day(&planner, monday.next) { throw Unreadable() }
        XCTAssertEqual(first?.plan.level, FeedbackLevel(2))
        XCTAssertEqual(first?.plan.basis, .fallback)
        XCTAssertNotNil(first?.warning)
        XCTAssertEqual(planner.date, monday, "a fallback is not the day's plan: the next clock check reads again")
        XCTAssertNil(day(&planner, monday.next) { throw Unreadable() }, "the same failure again changes nothing: nothing to send or log")
        XCTAssertEqual(day(&planner, monday.next) { self.plan(3) }?.plan.level, FeedbackLevel(3), "read again once the log is readable")
        XCTAssertEqual(planner.date, monday.next)
        _ = day(&planner, monday.next.next) { self.plan(1) }
        XCTAssertNotNil(day(&planner, monday.next.next.next) { throw Unreadable() }?.warning, "a new run of failures is reported")
    }

    func testUnreadableLogAtStartKeepsTheLastRecordedLevelElseFullFeedback() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(day(&planner, monday, recorded: FeedbackLevel(2)) { throw Unreadable() }?.plan.level, FeedbackLevel(2))
        var fresh = FeedbackPlanner()
        XCTAssertEqual(day(&fresh, monday) { throw Unreadable() }?.plan.level, .full)
    }

    func testAReloadFromConstantModeTakesTheLastRecordedLevelBeforeTheClockIsTrusted() {
        var planner = FeedbackPlanner()
        XCTAssertNotNil(planner.planConstant())
        XCTAssertEqual(planner.planWithoutDate { FeedbackLevel(2) }?.level, FeedbackLevel(2))
    }

    func testBeforeTheClockIsTrustedTheLastRecordedLevelHolds() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(planner.planWithoutDate { FeedbackLevel(2) }?.basis, .lastKnown)
        XCTAssertEqual(planner.plan?.level, FeedbackLevel(2))
        XCTAssertNil(planner.planWithoutDate { FeedbackLevel(0) })
    }
}
