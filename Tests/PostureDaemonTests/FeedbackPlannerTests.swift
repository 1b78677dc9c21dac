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

    func testOncePerDay() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(planner.planDay(monday) { self.plan(2) }?.plan.level, FeedbackLevel(2))
        XCTAssertNil(planner.planDay(monday) { self.plan(3) }, "the day already has its level")
        XCTAssertEqual(planner.planDay(monday.next) { self.plan(3) }?.plan.level, FeedbackLevel(3))
    }

    func testUnreadableLogKeepsTheLastKnownLevelAndWarnsOnce() {
        var planner = FeedbackPlanner()
        _ = planner.planDay(monday) { self.plan(2) }
        let first = planner.planDay(monday.next) { throw Unreadable() }
        XCTAssertEqual(first?.plan.level, FeedbackLevel(2))
        XCTAssertEqual(first?.plan.basis, .fallback)
        XCTAssertNotNil(first?.warning)
        let second = planner.planDay(monday.next.next) { throw Unreadable() }
        XCTAssertEqual(second?.plan.level, FeedbackLevel(2))
        XCTAssertNil(second?.warning, "reported once")
        _ = planner.planDay(monday.next.next.next) { self.plan(1) }
        XCTAssertNotNil(planner.planDay(monday.next.next.next.next) { throw Unreadable() }?.warning, "a new run of failures is reported")
    }

    func testUnreadableLogAtStartIsFullFeedback() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(planner.planDay(monday) { throw Unreadable() }?.plan.level, .full)
    }

    func testBeforeTheClockIsTrustedTheLastRecordedLevelHolds() {
        var planner = FeedbackPlanner()
        XCTAssertEqual(planner.planWithoutDate { FeedbackLevel(2) }?.basis, .lastKnown)
        XCTAssertEqual(planner.plan?.level, FeedbackLevel(2))
        XCTAssertNil(planner.planWithoutDate { FeedbackLevel(0) })
    }
}
