import Synchronization
import Dispatch
import PostureHardware
import XCTest

final class PatternPlayerTests: XCTestCase {
    private let idleTimeout = Duration.seconds(5)

    func testPlaysTheExactOnOffSequence() throws {
        let clock = FakePatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock)
        XCTAssertTrue(player.play(.slouch))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        // 150 on, 150 off, 150 on, 150 off: the trailing off is a pause, not a write.
        XCTAssertEqual(line.changes, [ms(0, true), ms(150, false), ms(300, true), ms(450, false)])
    }

    func testRepeatedLevelsAreNotRewrittenAndTheLineEndsOff() throws {
        let clock = FakePatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock)
        player.play(try NudgePattern(parsing: "100on,100on,50off,200on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(line.changes, [ms(0, true), ms(200, false), ms(250, true), ms(450, false)])
    }

    func testActiveLowIndicatorInvertsThePin() throws {
        let clock = FakePatternClock()
        let pin = RecordingLine(clock: clock)
        let buzzer = Indicator(kind: .buzzer, line: pin, activeLow: true)
        let player = try PatternPlayer(line: buzzer, clock: clock)
        player.play(try NudgePattern(parsing: "150on,150off,150on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(pin.changes, [ms(0, false), ms(150, true), ms(300, false), ms(450, true)],
                       "on = pin low, off = pin high")
    }

    func testANudgeWhilePlayingIsQueuedAfterTheGap() throws {
        let clock = GatedPatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock, gap: .milliseconds(500))
        player.play(.slouch)
        XCTAssertTrue(clock.waitUntilPlaying(), "the player never started the first pattern")
        XCTAssertTrue(player.play(try NudgePattern(parsing: "600on")), "queued, not replacing")
        clock.open()
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        // Slouch ends at 600 ms (its trailing 150 off included); the next starts 500 ms later.
        XCTAssertEqual(line.changes, [ms(0, true), ms(150, false), ms(300, true), ms(450, false),
                                      ms(1100, true), ms(1700, false)])
    }

    func testTheQueueIsBoundedAndDropsTheNewest() throws {
        let clock = GatedPatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock, gap: .zero)
        player.play(try NudgePattern(parsing: "100on"))
        XCTAssertTrue(clock.waitUntilPlaying())
        for _ in 0..<PatternPlayer.maxWaiting { XCTAssertTrue(player.play(try NudgePattern(parsing: "10on"))) }
        XCTAssertFalse(player.play(.sittingTooLong), "a fifth waiting pattern is dropped")
        XCTAssertEqual(player.droppedCount, 1)
        clock.open()
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(line.changes.filter(\.on).count, 1 + PatternPlayer.maxWaiting)
    }

    func testAFailingLineIsReportedAndTheNextPatternStillPlays() throws {
        let clock = FakePatternClock()
        let line = RecordingLine(clock: clock)
        let errors = ErrorCounter()
        let player = try PatternPlayer(line: line, clock: clock, onError: { _ in errors.add() })
        line.failuresLeft.withLock { $0 = 1 }
        player.play(.slouch)
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(line.changes, [ms(0, false)], "abandoned, and the line turned off")
        player.play(try NudgePattern(parsing: "100on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        XCTAssertEqual(line.changes.suffix(2), [ms(500, true), ms(600, false)], "after the default 500 ms gap")
    }

    func testStopTurnsTheLineOffAndRefusesNewPatterns() throws {
        let clock = GatedPatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock)
        player.play(.sittingTooLong)
        XCTAssertTrue(clock.waitUntilPlaying())
        player.play(.slouch)
        // stop() raises its flag at once, then joins; the gate opens well after that, so the
        // player wakes inside sitting_too_long's first step and must stop there.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { clock.open() }
        player.stop()
        XCTAssertEqual(line.changes.last?.on, false)
        XCTAssertEqual(line.changes, [ms(0, true), ms(600, false)], "stopped after the first step; the queued slouch never played")
        XCTAssertFalse(player.play(.test))
    }

    func testTheRealClockPlaysInRealTime() throws {
        let clock = MonotonicPatternClock()
        let line = RecordingLine(clock: clock)
        let player = try PatternPlayer(line: line, clock: clock)
        let start = clock.now()
        player.play(try NudgePattern(parsing: "30on,20off,30on"))
        XCTAssertTrue(player.waitUntilIdle(timeout: idleTimeout))
        let offsets = line.changes.map { $0.at - start }
        XCTAssertEqual(line.changes.map(\.on), [true, false, true, false])
        XCTAssertGreaterThanOrEqual(offsets[3], .milliseconds(80))
        XCTAssertLessThan(offsets[3], .milliseconds(1000), "a loaded machine may be late, not this late")
    }
}

/// Counts errors reported on the player's thread.
final class ErrorCounter: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
