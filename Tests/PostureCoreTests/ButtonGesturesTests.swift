import PostureCore
import XCTest

/// The press classifier on exact edge times: what a short, long and double press, a stuck
/// button and a bounce storm each give, and that nothing else gives an action.
final class ButtonGesturesTests: XCTestCase {
    private let ms: UInt64 = 1_000_000
    private let start: UInt64 = 5_000_000_000  // an arbitrary monotonic origin

    /// Feeds (pressed, ms after start) edges, advancing time to each, then to `until` ms.
    private func run(_ edges: [(Bool, UInt64)], until: UInt64, timing: ButtonGestures.Timing = .standard) -> [ButtonEvent] {
        var gestures = ButtonGestures(timing: timing)
        var events: [ButtonEvent] = []
        for (pressed, at) in edges { events += gestures.edge(pressed: pressed, at: start + at * ms) }
        // Advance in 10 ms steps, as the button thread's timed waits would.
        var t = edges.last.map { $0.1 } ?? 0
        while t <= until {
            events += gestures.advance(to: start + t * ms)
            t += 10
        }
        return events
    }

    func testAShortPressCountsOnceTheDoublePressWindowHasPassed() {
        var gestures = ButtonGestures()
        XCTAssertEqual(gestures.edge(pressed: true, at: start), [])
        XCTAssertEqual(gestures.edge(pressed: false, at: start + 150 * ms), [])
        XCTAssertEqual(gestures.nextDeadline, start + 550 * ms, "the thread wakes when the window closes")
        XCTAssertEqual(gestures.advance(to: start + 549 * ms), [])
        XCTAssertEqual(gestures.advance(to: start + 550 * ms), [.short])
        XCTAssertNil(gestures.nextDeadline)
    }

    func testALongPressFiresAtTwoSecondsWhileStillHeld() {
        var gestures = ButtonGestures()
        _ = gestures.edge(pressed: true, at: start)
        XCTAssertEqual(gestures.nextDeadline, start + 2000 * ms)
        XCTAssertEqual(gestures.advance(to: start + 1999 * ms), [])
        XCTAssertEqual(gestures.advance(to: start + 2000 * ms), [.long])
        XCTAssertEqual(gestures.advance(to: start + 2500 * ms), [], "fired once")
        XCTAssertEqual(gestures.edge(pressed: false, at: start + 3000 * ms), [], "the release after a long press says nothing")
        XCTAssertEqual(gestures.advance(to: start + 4000 * ms), [], "and is no short press either")
    }

    func testASecondPressWithinTheWindowIsADoubleAndNothingElse() {
        XCTAssertEqual(run([(true, 0), (false, 120), (true, 350), (false, 470)], until: 5000), [.double])
    }

    func testASecondPressAfterTheWindowIsTwoShortPresses() {
        XCTAssertEqual(run([(true, 0), (false, 120), (true, 700), (false, 820)], until: 2000), [.short, .short])
    }

    func testTheConfiguredTimesAreUsed() {
        let timing = ButtonGestures.Timing(longPressSeconds: 1, doublePressWindowSeconds: 0.2)
        XCTAssertEqual(run([(true, 0)], until: 1100, timing: timing), [.long])
        XCTAssertEqual(run([(true, 0), (false, 100), (true, 350), (false, 450)], until: 1000, timing: timing), [.short, .short])
    }

    func testAStuckButtonIsReportedOnceAndIgnoredUntilReleased() {
        var gestures = ButtonGestures()
        var events: [ButtonEvent] = []
        events += gestures.edge(pressed: true, at: start)
        for second in 1...30 { events += gestures.advance(to: start + UInt64(second) * 1000 * ms) }
        XCTAssertEqual(events, [.long, .stuck], "one long press (at 2 s), then stuck (at 10 s), once")
        XCTAssertNil(gestures.nextDeadline, "a stuck button wakes nobody")
        XCTAssertEqual(gestures.edge(pressed: false, at: start + 31_000 * ms), [.recovered])
        XCTAssertEqual(gestures.edge(pressed: true, at: start + 32_000 * ms), [])
        XCTAssertEqual(gestures.edge(pressed: false, at: start + 32_100 * ms), [])
        XCTAssertEqual(gestures.advance(to: start + 33_000 * ms), [.short], "presses count again after the release")
    }

    func testABounceStormIsOneReportAndNoStormOfSnoozes() {
        // A floating line: an edge every 5 ms for 3 s (600 edges).
        var edges: [(Bool, UInt64)] = []
        for i in 0..<600 { edges.append((i % 2 == 0, UInt64(i) * 5)) }
        let events = run(edges, until: 3000 + 4000)
        XCTAssertEqual(events.filter { $0 == .bouncing }.count, 1, "\(events)")
        XCTAssertFalse(events.contains(.short) || events.contains(.long), "no action from a storm: \(events)")
        XCTAssertLessThanOrEqual(events.filter { $0 == .double }.count, 5, "at most the presses before the storm was seen: \(events)")
    }

    func testABouncingButtonIsHeardAgainAfterFiveQuietSeconds() {
        var gestures = ButtonGestures()
        var events: [ButtonEvent] = []
        for i in 0..<100 { events += gestures.edge(pressed: i % 2 == 0, at: start + UInt64(i) * 10 * ms) }
        XCTAssertTrue(events.contains(.bouncing))
        let last = start + 990 * ms
        XCTAssertEqual(gestures.nextDeadline, last + 5000 * ms)
        XCTAssertEqual(gestures.advance(to: last + 4999 * ms), [])
        XCTAssertEqual(gestures.advance(to: last + 5000 * ms), [.recovered])
        _ = gestures.edge(pressed: true, at: last + 6000 * ms)
        _ = gestures.edge(pressed: false, at: last + 6100 * ms)
        XCTAssertEqual(gestures.advance(to: last + 7000 * ms), [.short])
    }

    func testAFingerPressingFastIsNotBouncing() {
        // Five presses a second for two seconds: ten edges a second, under the limit.
        var edges: [(Bool, UInt64)] = []
        for i in 0..<10 { edges += [(true, UInt64(i) * 200), (false, UInt64(i) * 200 + 80)] }
        let events = run(edges, until: 3000)
        XCTAssertFalse(events.contains(.bouncing), "\(events)")
        XCTAssertEqual(events.filter { $0 == .double }.count, 5, "pairs of presses within the window: \(events)")
    }

    func testAReleaseWithNoPressIsIgnored() {
        XCTAssertEqual(run([(false, 0)], until: 3000), [], "a button held at start-up, then released")
    }
}

/// Software debounce for libgpiod v1 and chips the kernel cannot debounce.
final class EdgeDebouncerTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    func testChatterSettlesToOneLevelStampedAtItsFirstEdge() {
        var debouncer = EdgeDebouncer()
        XCTAssertNil(debouncer.edge(pressed: true, at: 100 * ms))
        XCTAssertNil(debouncer.edge(pressed: false, at: 102 * ms))
        XCTAssertNil(debouncer.edge(pressed: true, at: 104 * ms))
        XCTAssertEqual(debouncer.nextDeadline, 124 * ms)
        XCTAssertNil(debouncer.advance(to: 123 * ms))
        let settled = debouncer.advance(to: 124 * ms)
        XCTAssertEqual(settled?.pressed, true)
        XCTAssertEqual(settled?.at, 100 * ms)
        XCTAssertNil(debouncer.nextDeadline)
    }

    func testAGlitchThatReturnsToTheSameLevelIsNothing() {
        var debouncer = EdgeDebouncer()
        XCTAssertNil(debouncer.edge(pressed: true, at: 0))
        XCTAssertNil(debouncer.edge(pressed: false, at: 1 * ms))
        XCTAssertNil(debouncer.advance(to: 50 * ms))
    }

    func testTheNextEdgeSettlesTheBurstBeforeIt() {
        var debouncer = EdgeDebouncer()
        _ = debouncer.edge(pressed: true, at: 0)
        let settled = debouncer.edge(pressed: false, at: 200 * ms)
        XCTAssertEqual(settled?.pressed, true)
        XCTAssertEqual(debouncer.advance(to: 220 * ms)?.pressed, false)
    }
}
