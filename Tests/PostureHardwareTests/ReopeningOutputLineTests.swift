import PostureHardware
import Synchronization
import XCTest

/// An indicator whose line fails (a USB GPIO bridge unplugged) asks for it again at the next
/// nudge, through the real pattern player, instead of staying silent until a restart.
final class ReopeningOutputLineTests: XCTestCase {
    private let idleTimeout = Duration.seconds(5)

    func testAFailedLineIsAskedForAgainAtTheNextPatternAndPlaysOnTheNewRequest() throws {
        let clock = FakePatternClock()
        let unplugged = RecordingLine(clock: clock)
        unplugged.failuresLeft.withLock { $0 = Int.max }  // this request is dead for good
        let replugged = RecordingLine(clock: clock)
        let bridge = FakeBridge(answers: [.failure(RecordingLine.Unplugged()), .success(replugged)])
        let reopened = ErrorCounter()
        let line = ReopeningOutputLine(unplugged, reopen: { try bridge.request() }, onReopened: { reopened.add() })
        let errors = ErrorCounter()
        let player = try PatternPlayer(line: line, clock: clock, onError: { _ in errors.add() })

        player.play(.slouch)  // fails on the dead request
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        player.play(.slouch)  // the bridge is still gone: the new request fails too
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 1)
        XCTAssertEqual(reopened.count, 0)
        XCTAssertTrue(replugged.changes.isEmpty)

        player.play(try NudgePattern(parsing: "100on"))  // plugged back in
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 2)
        XCTAssertEqual(reopened.count, 1, "the recovery is told once")
        XCTAssertEqual(replugged.changes.map(\.on), [true, false], "the pattern played on the new request")
        XCTAssertGreaterThanOrEqual(errors.count, 2, "each failed pattern was reported")

        player.play(try NudgePattern(parsing: "100on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(bridge.requests, 2, "a working line is not asked for again")
        XCTAssertEqual(replugged.changes.map(\.on), [true, false, true, false])
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
