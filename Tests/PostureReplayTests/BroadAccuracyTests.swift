import Foundation
import PostureCore
import PostureReplay
import XCTest

/// The orientation filter against optical ground truth (BROAD): the mean over trials of the
/// RMS inclination error must stay at or below 1.0° (architecture.md, `fuse`).
final class BroadAccuracyTests: XCTestCase {
    static let maximumMeanInclinationErrorDegrees = 1.0

    func testMeanInclinationErrorIsAtMostOneDegree() throws {
        let directory = try SuitePaths.requireBroad()
        let trials = BroadEvaluation.trials(in: directory)
        var results: [BroadEvaluation.TrialResult] = []
        for trial in trials {
            guard FileManager.default.fileExists(atPath: trial.truth) else {
                XCTFail("BROAD trial \(trial.name) has no truth file \(trial.truth)")
                continue
            }
            let result = try BroadEvaluation.evaluate(name: trial.name, imuPath: trial.imu, truthPath: trial.truth)
            print("[BROAD] \(trial.name): \(jsonNumber(result.inclinationErrorDegrees, decimals: 3))° RMS over \(result.scoredSamples) scored samples")
            XCTAssertGreaterThan(result.scoredSamples, 1000, "\(trial.name): too few scored samples; is the truth aligned with the IMU clock?")
            XCTAssertTrue(result.inclinationErrorDegrees.isFinite, "\(trial.name): error is not finite")
            results.append(result)
        }
        XCTAssertEqual(results.count, trials.count)
        guard !results.isEmpty else { return XCTFail("no BROAD trials evaluated in \(directory)") }
        let mean = results.map(\.inclinationErrorDegrees).reduce(0, +) / Double(results.count)
        let worst = results.max { $0.inclinationErrorDegrees < $1.inclinationErrorDegrees }!
        print("[BROAD] mean over \(results.count) trials: \(jsonNumber(mean, decimals: 3))° (worst \(worst.name) \(jsonNumber(worst.inclinationErrorDegrees, decimals: 3))°)")
        XCTAssertLessThanOrEqual(
            mean, Self.maximumMeanInclinationErrorDegrees,
            "BROAD mean inclination error \(jsonNumber(mean, decimals: 3))° over \(results.count) trials exceeds \(Self.maximumMeanInclinationErrorDegrees)°: "
                + results.map { "\($0.name) \(jsonNumber($0.inclinationErrorDegrees, decimals: 3))°" }.joined(separator: ", "))
    }
}
