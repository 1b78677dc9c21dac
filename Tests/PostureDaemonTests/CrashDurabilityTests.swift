import Foundation
import PostureCore
@testable import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The real `postured` killed with SIGKILL (no chance to clean up: a crash, or the power cut
/// that kills it between a write and its commit) and started again on the same day log.
final class CrashDurabilityTests: XCTestCase {
    private func integrity(_ path: String) throws -> [String] {
        let log = try DayLog.open(path: path, mode: .readOnly)
        return try DayLog.strings(log.connection, "PRAGMA integrity_check")
    }

    /// Killed while it writes a minute every 0.1 s (speed 600): the transaction in flight is
    /// rolled back on the next open, every committed minute is intact, and what is lost is at
    /// most what had not been written yet (the minute in progress and the batch being drained).
    func testSIGKILLAtRandomMomentsLosesAtMostTheMinuteInProgress() throws {
        let harness = try DaemonHarness()
        var generator = SystemRandomNumberGenerator()
        // POSTURED_KILLS=100 for the long run (RELIABILITY.md); a few in every test run.
        let kills = ProcessInfo.processInfo.environment["POSTURED_KILLS"].flatMap(Int.init) ?? 6
        var survived = 0
        var worstLoss = 0.0
        var storedMinutes: [Int] = []
        var observedBefore = 0.0  // every simulated day is today from 09:00: the attempts' minutes merge
        for attempt in 1...kills {
            let speed = 60.0
            try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "\(Int(speed))"])
            XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: 20), harness.log)
            let ready = Date()
            usleep(UInt32.random(in: 2_000_000...4_000_000, using: &generator))
            let scenarioSeconds = Date().timeIntervalSince(ready) * speed
            harness.signal(SIGKILL)
            XCTAssertNotNil(harness.waitForExit(timeout: 5), "attempt \(attempt): not dead")

            XCTAssertEqual(try integrity(harness.dayLogPath), ["ok"], "attempt \(attempt)")
            let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
            let starts = try log.events(from: 0, to: 1e12).filter { $0.kind == .daemonStart }.map(\.time)
            let start = try XCTUnwrap(starts.max())
            let minutes = try log.minutes(from: start, to: start + 86_400)
            let observed = minutes.reduce(0) { $0 + $1.data.observedSeconds }
            // Closed minutes are written as they close: allow the minute in progress, and READY
            // coming a little after the loop started (which makes the run look longer).
            let lost = scenarioSeconds - (observed - observedBefore)
            XCTAssertLessThan(lost, 60 + 10, "attempt \(attempt): \(observed - observedBefore) s stored for \(scenarioSeconds) s run")
            observedBefore = observed
            worstLoss = max(worstLoss, lost)
            storedMinutes.append(minutes.count)
            survived += 1
        }
        // And it starts, runs and stops cleanly on the log that survived all that.
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "slouch", "--speed", "600"])
        XCTAssertEqual(harness.waitForExit(timeout: 30), 0, harness.log)
        XCTAssertEqual(try integrity(harness.dayLogPath), ["ok"])
        let report = try harness.posturectl(["report", "--state-dir", harness.stateDirectory])
        XCTAssertEqual(report.status, 0, report.output)
        print("crash durability: \(kills) SIGKILLs at random moments of a simulated day at speed 60; after each, integrity_check ok (\(survived) of \(kills)); most scenario time lost to a kill \(Int(worstLoss)) s (the minute in progress, plus READY's lag behind the loop); minute rows after each kill: \(storedMinutes)")
    }
}
