import PostureCore
import XCTest

/// The button thread's whole chain (software debounce, then the classifier) driven the way
/// the thread drives it: each raw edge when it comes, and `advance(to:)` every few
/// milliseconds in between, as the thread's timed waits would.
final class ButtonInputTests: XCTestCase {
    private let ms: UInt64 = 1_000_000
    private let start: UInt64 = 5_000_000_000  // an arbitrary monotonic origin

    /// Raw (pressed, ms after start) edges in time order; time advances in `step` ms between
    /// them and on to `until` ms.
    private func run(
        _ edges: [(Bool, UInt64)], until: UInt64, step: UInt64 = 5, kernelDebounced: Bool = false, heldAtStart: Bool = false
    ) -> [ButtonEvent] {
        var input = ButtonInput(timing: .standard, kernelDebounced: kernelDebounced, heldAtStart: heldAtStart ? start : nil)
        var events: [ButtonEvent] = []
        var t: UInt64 = 0
        for (pressed, at) in edges {
            while t < at {
                events += input.advance(to: start + t * ms)
                t += step
            }
            events += input.edge(pressed: pressed, at: start + at * ms)
        }
        while t <= until {
            events += input.advance(to: start + t * ms)
            t += step
        }
        return events
    }

    /// A press with 3 ms of contact chatter at each end.
    private func press(at down: UInt64, for held: UInt64) -> [(Bool, UInt64)] {
        [(true, down), (false, down + 1), (true, down + 3), (false, down + held), (true, down + held + 1), (false, down + held + 3)]
    }

    func testASecondPressInTheLastMillisecondsOfTheWindowIsADoubleNotTwoShorts() {
        // Released at 103 ms (first chatter edge 100); the window closes at 500 ms. The second
        // press starts at 490 ms, so its debounced level (stamped 490) settles only at 513 ms,
        // after the window: the classifier must wait for it.
        let events = run(press(at: 0, for: 100) + press(at: 490, for: 100), until: 2000)
        XCTAssertEqual(events, [.double], "\(events)")
    }

    func testAReleaseJustBeforeTheLongPressTimeIsAShortPress() {
        // Down at 0, released 1990 ms later: settled at 2013 ms, stamped 1990.
        let events = run(press(at: 0, for: 1990), until: 3000)
        XCTAssertEqual(events, [.short], "\(events)")
    }

    func testAHeldPressStillFiresItsLongPressAtTwoSeconds() {
        var input = ButtonInput(timing: .standard, kernelDebounced: false)
        _ = input.edge(pressed: true, at: start)
        XCTAssertEqual(input.advance(to: start + 1999 * ms), [])
        XCTAssertEqual(input.advance(to: start + 2000 * ms), [.long])
    }

    func testAContactThatNeverSettlesIsBouncingOnceAndHeardAgainAfterQuiet() {
        // An edge every 5 ms for 3 s: never quiet for the debounce period.
        var edges: [(Bool, UInt64)] = []
        for i in 0..<600 { edges.append((i % 2 == 0, UInt64(i) * 5)) }
        let events = run(edges, until: 3000 + 6000)
        XCTAssertEqual(events, [.bouncing, .recovered], "one report, no action, then heard again: \(events)")
    }

    func testAFloatingLineThatSettlesEveryHalfSecondIsNotAStormOfSnoozes() {
        // Each level holds 500 ms: debounced cleanly, so every pair looks like a press.
        var edges: [(Bool, UInt64)] = []
        for i in 0..<120 { edges.append((i % 2 == 0, UInt64(i) * 500)) }
        let events = run(edges, until: 60_000 + 6000, step: 10)
        let actions = events.filter { $0 == .short || $0 == .double || $0 == .long }
        XCTAssertLessThanOrEqual(actions.count, ButtonGestures.Timing.standard.gesturesPerWindow, "\(events)")
        XCTAssertEqual(events.filter { $0 == .bouncing }.count, 1, "\(events)")
    }

    func testAWearerPressingAFewTimesAMinuteIsNeverErratic() {
        // A short press every 6 s for two minutes: 20 snoozes and resumes.
        let edges = (0..<20).flatMap { press(at: UInt64($0) * 6000, for: 120) }
        let events = run(edges, until: 121_000, step: 10)
        XCTAssertEqual(events, Array(repeating: .short, count: 20))
    }

    func testAButtonHeldWhenTheLineOpensIsStuckNotALongPressOrAPressWhenLetGo() {
        // Held at start (shorted, or active_low the wrong way round), let go at 12 s.
        let events = run([(false, 12_000)], until: 14_000, heldAtStart: true)
        XCTAssertEqual(events, [.stuck, .recovered], "\(events)")
    }

    func testTheKernelsDebouncedEdgesGoStraightToTheClassifier() {
        let events = run([(true, 0), (false, 100), (true, 300), (false, 400)], until: 2000, kernelDebounced: true)
        XCTAssertEqual(events, [.double])
    }
}
