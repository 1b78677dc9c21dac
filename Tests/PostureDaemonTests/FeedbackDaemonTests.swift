import Foundation
import PostureCore
import PostureStore
import XCTest

/// Fading feedback through the real `postured` on simulated chips: the day's level in the log
/// and in `status`, and the slouch scenario's nudge as a gentle cue then the full pattern.
final class FeedbackDaemonTests: XCTestCase {
    private let startupTimeout: TimeInterval = 20

    func testFadingFeedbackOnASimulatedSlouch() throws {
        let harness = try DaemonHarness()
        let config = harness.directory.appendingPathComponent("postured.toml").path
        let shipped = try String(contentsOfFile: DaemonHarness.shippedConfig, encoding: .utf8)
        XCTAssertTrue(shipped.contains("\nfeedback = \"constant\"\n"), "the shipped config documents the default")
        try shipped.replacingOccurrences(of: "\nfeedback = \"constant\"\n", with: "\nfeedback = \"fading\"\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        // The slouch scenario: 180 s with a slouch held from 60 s to 120 s; 30× speed = 6 s.
        try harness.start(["--config", config, "--simulate", "slouch", "--speed", "30"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: startupTimeout), harness.log)

        let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("\"mode\":\"fading\""), status.output)
        XCTAssertTrue(status.output.contains("\"basis\":\"no_history\""), status.output)
        let human = try harness.posturectl(["status", "--socket", harness.socketPath])
        XCTAssertTrue(human.output.contains("feedback     fading, level 0: no slouch nudges logged yet"), human.output)

        XCTAssertEqual(harness.waitForExit(timeout: 40), 0, harness.log)
        let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        let stored = try log.events(from: 0, to: 1e12)
        let records = stored.compactMap(FeedbackRecord.init(event:))
        XCTAssertEqual(records.count, 1, "one feedback event for the day: \(stored.map(\.kind))")
        XCTAssertEqual(records.first?.plan.level, .full)
        XCTAssertEqual(records.first?.settings.mode, .fading)
        // Held from 60 s to 120 s: the cue at the 30 s hold, the full pattern 20 s later.
        let nudges = stored.filter { $0.kind == .nudge }
        XCTAssertEqual(nudges.map(\.nudgeIntensity), [.gentle, .full], "\(nudges)")
        if nudges.count == 2 { XCTAssertEqual(nudges[1].time - nudges[0].time, 20, accuracy: 0.5) }
    }
}
