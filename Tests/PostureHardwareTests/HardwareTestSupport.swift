import Foundation
import PostureHardware
import Synchronization

/// A fresh, empty temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: String, file: StaticString = #filePath) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("postured-hw-\(test)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A clock that never really sleeps: `sleep(until:)` jumps to the deadline, so a pattern
/// plays instantly and every step lands at an exact time.
final class FakePatternClock: PatternClock {
    private let time = Mutex(Duration.zero)
    func now() -> Duration { time.withLock { $0 } }
    func sleep(until deadline: Duration) { time.withLock { $0 = max($0, deadline) } }
}

/// A clock whose first sleep blocks until the test opens the gate: it holds the player inside
/// a pattern, so the test can enqueue while something is playing.
final class GatedPatternClock: PatternClock {
    private let inner = FakePatternClock()
    private let gate = DispatchSemaphore(value: 0)
    private let insideFirstSleep = DispatchSemaphore(value: 0)
    private let sleeps = Mutex(0)

    func now() -> Duration { inner.now() }

    func sleep(until deadline: Duration) {
        let first = sleeps.withLock { count -> Bool in
            count += 1
            return count == 1
        }
        if first {
            insideFirstSleep.signal()
            gate.wait()
        }
        inner.sleep(until: deadline)
    }

    /// Waits until the player is blocked in its first sleep (i.e. a pattern is playing).
    func waitUntilPlaying() -> Bool { insideFirstSleep.wait(timeout: .now() + 5) == .success }
    func open() { gate.signal() }
}

/// An output line that records each level with the clock's time.
final class RecordingLine: OutputLine {
    struct Change: Equatable, CustomStringConvertible {
        var at: Duration
        var on: Bool
        var description: String { "\(on ? "on" : "off")@\(at)" }
    }

    private let clock: any PatternClock
    private let log = Mutex<[Change]>([])
    /// When set, `set` throws this many times from now on.
    let failuresLeft = Mutex(0)

    struct Unplugged: Error {}

    init(clock: any PatternClock) { self.clock = clock }

    func set(_ on: Bool) throws {
        let fail = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw Unplugged() }
        let now = clock.now()
        log.withLock { $0.append(Change(at: now, on: on)) }
    }

    var changes: [Change] { log.withLock { $0 } }
}

/// Shorthand for expected changes: `ms(150, false)`.
func ms(_ milliseconds: Int, _ on: Bool) -> RecordingLine.Change {
    RecordingLine.Change(at: .milliseconds(milliseconds), on: on)
}
