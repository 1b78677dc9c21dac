import Foundation
import PostureControl
import PostureCore
@testable import PostureDaemon
import XCTest

/// The live calibration confirms each pose as it is taken: how still, for how long, or
/// why it failed, so that a failed standing pose stops before sitting is asked for.
final class CalibrationConfirmationTests: XCTestCase {
    /// A 6 s capture at 100 Hz, rocking for its first `movingSeconds`.
    private func capture(_ pose: CalibrationPose, movingSeconds: Double) -> PoseCapture {
        var capture = PoseCapture(pose: pose)
        for i in 0...600 {
            let t = 50 + Double(i) / 100
            let rock = Double(i) / 100 < movingSeconds ? (i % 20 < 10 ? 0.6 : -0.6) : 0
            capture.add(IMUSample(t: t, sensor: 0, accel: Vector3(9.81, 0, 0), gyro: Vector3(0, rock, 0)))
        }
        return capture
    }

    func testACapturedPoseIsConfirmedWithItsStillStretch() throws {
        let outcome = Supervisor.confirmation(of: capture(.standing, movingSeconds: 2).result(), pose: .standing)
        XCTAssertEqual(outcome.progress.state, .done)
        XCTAssertEqual(outcome.progress.phase, .standing)
        let stillness = try XCTUnwrap(outcome.progress.stillness)
        XCTAssertEqual(stillness.windowSeconds, 6, accuracy: 1e-9)
        XCTAssertEqual(stillness.stillSeconds, 4, accuracy: 0.3)
        XCTAssertGreaterThanOrEqual(stillness.fromSeconds, 2)
        XCTAssertTrue(outcome.progress.message.hasPrefix("Standing pose captured: held still"), outcome.progress.message)
        XCTAssertNoThrow(try outcome.pose.get())
        // On the wire: the new field next to the old ones.
        let json = String(decoding: try JSONEncoder().encode(outcome.progress), as: UTF8.self)
        for key in ["\"state\":\"done\"", "\"remaining_s\"", "\"still_s\"", "\"window_s\"", "\"from_s\""] {
            XCTAssertTrue(json.contains(key), "\(key) missing: \(json)")
        }
    }

    func testAFailedPoseSaysWhyAndWhatToDo() {
        let outcome = Supervisor.confirmation(of: capture(.standing, movingSeconds: 6).result(), pose: .standing)
        XCTAssertEqual(outcome.progress.state, .failed)
        XCTAssertTrue(outcome.progress.message.contains("hold still for 3.0 s"), outcome.progress.message)
        XCTAssertGreaterThan(outcome.progress.stillness?.motion.share ?? 0, 1, "the stillest stretch is reported")
        guard case .failure(let error) = outcome.pose else { return XCTFail("a moving pose must fail") }
        XCTAssertEqual(error.code, .failed)
        XCTAssertTrue(error.message.contains("the previous calibration is still in use"), error.message)
    }

    func testProgressFromAnOlderDaemonStillDecodes() throws {
        let old = #"{"message":"Calibrated.","phase":"sitting","progress":1,"remaining_s":0,"state":"done"}"#
        let progress = try JSONDecoder().decode(CalibrationProgress.self, from: Data(old.utf8))
        XCTAssertNil(progress.stillness)
        XCTAssertEqual(progress.state, .done)
    }
}
