import PostureHardware
import Synchronization
import XCTest

/// An indicator whose line fails (a USB GPIO bridge unplugged) asks for it again at the next
/// nudge, through the real pattern player, instead of staying silent until a restart.
final class ReopeningOutputLineTests: XCTestCase {
    private let idleTimeout = Duration.seconds(5)

    func testAFailedLineIsAskedForAgainAtEachNudgeUntilTheBridgeIsBack() throws {
        let clock = FakePatternClock()
        let replugged = RecordingLine(clock: clock)
        let bridge = FakeBridge(answers: [.failure(RecordingLine.Unplugged()), .success(replugged)])
        let (player, reopened, errors) = try playing(on: deadLine(clock), bridge: bridge, clock: clock)

        player.play(.slouch)  // the request is dead and the bridge still gone
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 1, "asked for once at the failure")
        XCTAssertEqual(reopened.count, 0)
        XCTAssertEqual(errors.count, 1, "the failed pattern is reported")
        XCTAssertTrue(replugged.changes.isEmpty)

        player.play(try NudgePattern(parsing: "100on"))  // plugged back in
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 2)
        XCTAssertEqual(reopened.count, 1, "the recovery is told once")
        XCTAssertEqual(replugged.changes.map(\.on), [true, false], "the pattern played on the new request")

        player.play(try NudgePattern(parsing: "100on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 2, "a working line is not asked for again")
        XCTAssertEqual(replugged.changes.map(\.on), [true, false, true, false])
        XCTAssertEqual(errors.count, 1)
    }

    func testTheFirstNudgeAfterTheBridgeCameBackIsNotLost() throws {
        let clock = FakePatternClock()
        let replugged = RecordingLine(clock: clock)
        let bridge = FakeBridge(answers: [.success(replugged)])
        let (player, reopened, errors) = try playing(on: deadLine(clock), bridge: bridge, clock: clock)

        player.play(try NudgePattern(parsing: "100on"))  // the old request died while unplugged
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(replugged.changes.map(\.on), [true, false])
        XCTAssertEqual(reopened.count, 1)
        XCTAssertEqual(errors.count, 0, "nothing was missed, so nothing to report")
    }

    func testReleaseGivesTheRequestBackAtOnceAndNeverAsksAgain() throws {
        let clock = FakePatternClock()
        let bridge = FakeBridge(answers: [.success(RecordingLine(clock: clock))])
        weak var request: RecordingLine?
        let line: ReopeningOutputLine = {
            let held = RecordingLine(clock: clock)
            request = held
            return ReopeningOutputLine(held, reopen: { try bridge.request() })
        }()
        XCTAssertNotNil(request, "held while in use")
        line.release()
        XCTAssertNil(request, "given back to the kernel by release(), not when the indicators go")
        try line.set(true)
        XCTAssertEqual(bridge.requests, 0, "a released line is not asked for again")
    }

    /// A request that died with the bridge it was made on.
    private func deadLine(_ clock: FakePatternClock) -> RecordingLine {
        let line = RecordingLine(clock: clock)
        line.failuresLeft.withLock { $0 = Int.max }
        return line
    }

    private func playing(on line: RecordingLine, bridge: FakeBridge, clock: FakePatternClock) throws -> (PatternPlayer, ErrorCounter, ErrorCounter) {
        let reopened = ErrorCounter()
        let errors = ErrorCounter()
        let reopening = ReopeningOutputLine(line, reopen: { try bridge.request() }, onReopened: { reopened.add() })
        let player = try PatternPlayer(line: reopening, clock: clock, onError: { _ in errors.add() })
        return (player, reopened, errors)
    }
}

/// Hands out the next answer to each request for the line, as a bridge that comes and goes would.
private final class FakeBridge: Sendable {
    private let answers: Mutex<[Result<RecordingLine, RecordingLine.Unplugged>]>
    private let count = Mutex(0)

    init(answers: [Result<RecordingLine, RecordingLine.Unplugged>]) { self.answers = Mutex(answers) }

    func request() throws -> any OutputLine {
        count.withLock { $0 += 1 }
        let answer = answers.withLock { $0.isEmpty ? .failure(RecordingLine.Unplugged()) : $0.removeFirst() }
        return try answer.get()
    }

    var requests: Int { count.withLock { $0 } }
}
