import PostureCore
import XCTest

/// Calibrations that cannot work are refused (or warned about) with what to do.
final class CalibrationRefusalTests: XCTestCase {
    private func poses(
        mount: Quaternion, sittingTilt: Double
    ) throws -> (standing: CapturedPose, sitting: CapturedPose) {
        let standing = try CalibrationTests.capture(.standing, pelvis: .identity, pelvisMount: mount).result().get()
        let sitting = try CalibrationTests.capture(.sitting, pelvis: PostureRig.tilt(sittingTilt), pelvisMount: mount)
            .result().get()
        return (standing, sitting)
    }

    func testIdenticalPosesAreRefused() throws {
        let standing = try CalibrationTests.capture(.standing, pelvis: .identity, pelvisMount: PostureRig.mount())
            .result().get()
        var sitting = standing
        sitting.pose = .sitting
        XCTAssertThrowsError(try Calibration(standing: standing, sitting: sitting)) { error in
            guard case .posesTooClose(let degrees, 3)? = error as? CalibrationError else {
                return XCTFail("expected posesTooClose, got \(error)")
            }
            XCTAssertLessThan(degrees, 0.01)
            let message = String(describing: error)
            XCTAssertTrue(message.contains("only 0.0° apart"), message)
            XCTAssertTrue(message.contains("sit back into your usual upright sitting posture"), message)
            XCTAssertEqual((error as? CalibrationError)?.pose, .sitting)
        }
        // 2° apart is still refused; 4° (the least a real waist sensor showed) is accepted.
        let two = try poses(mount: PostureRig.mount(yaw: 10), sittingTilt: -2)
        XCTAssertThrowsError(try Calibration(standing: two.standing, sitting: two.sitting))
        let four = try poses(mount: PostureRig.mount(yaw: 10), sittingTilt: -4)
        XCTAssertEqual(try Calibration(standing: four.standing, sitting: four.sitting).sittingPelvicTilt, -4, accuracy: 0.3)
    }

    func testForwardSittingIsRefusedOnlyAgainstADeclaredMount() throws {
        // The wearer leaned 15° forward instead of sitting back.
        let mount = PostureRig.mount(yaw: 5, pitch: 20)
        let leaning = try poses(mount: mount, sittingTilt: 15)
        XCTAssertThrowsError(
            try Calibration(standing: leaning.standing, sitting: leaning.sitting, pelvisPrior: .declared(.standard))
        ) { error in
            guard case .sittingNotPosterior(0, let degrees)? = error as? CalibrationError else {
                return XCTFail("expected sittingNotPosterior, got \(error)")
            }
            XCTAssertEqual(degrees, 15, accuracy: 0.5)
            let message = String(describing: error)
            XCTAssertTrue(message.contains("° forward of standing") && message.contains("sit back"), message)
        }
        // Undeclared (a phone on a belt, turned any way): the measured axis decides, and says so.
        let undeclared = try Calibration(standing: leaning.standing, sitting: leaning.sitting)
        XCTAssertEqual(undeclared.pelvis.lateralAxis, .measured)
        XCTAssertEqual(undeclared.pelvis.mountingKnowledge, .undeclared)
        XCTAssertEqual(undeclared.sittingPelvicTilt, -15, accuracy: 0.3)
        XCTAssertTrue(undeclared.warnings.isEmpty)
        // Sitting back properly passes the declared check.
        let upright = try poses(mount: mount, sittingTilt: -18)
        let declared = try Calibration(standing: upright.standing, sitting: upright.sitting, pelvisPrior: .declared(.standard))
        XCTAssertEqual(declared.sittingPelvicTilt, -18, accuracy: 0.3)
        XCTAssertEqual(declared.pelvis.mountingKnowledge, .declared)
    }

    func testAPhoneTurnedOnTheBeltCalibratesWhenUndeclared() throws {
        // Yawed 180° about the spine (HAPT: the stand-to-sit axis is −y): undeclared, fine.
        let turned = PostureRig.mount(yaw: 180)
        let p = try poses(mount: turned, sittingTilt: -18)
        let calibration = try Calibration(standing: p.standing, sitting: p.sitting)
        XCTAssertEqual(calibration.sittingPelvicTilt, -18, accuracy: 0.3)
        XCTAssertTrue(calibration.warnings.isEmpty, "\(calibration.warnings)")
        // Declared as the standard mount, the same data contradicts it: refused.
        XCTAssertThrowsError(try Calibration(standing: p.standing, sitting: p.sitting, pelvisPrior: .declared(.standard)))
    }

    func testUpsideDownSensorIsNamedInAWarning() throws {
        // Strapped on flipped over about its own y: x points down the spine, z into the body.
        let flipped = PostureRig.mount() * Quaternion(axis: Vector3(0, 1, 0), angle: Double.pi)
        let p = try poses(mount: flipped, sittingTilt: -18)
        let calibration = try Calibration(standing: p.standing, sitting: p.sitting, pelvisPrior: .declared(.standard))
        XCTAssertEqual(calibration.sittingPelvicTilt, -18, accuracy: 0.3)
        guard case .mountingReversed(0, let correction, let up)? = calibration.warnings.first else {
            return XCTFail("expected a reversed-mount warning, got \(calibration.warnings)")
        }
        XCTAssertGreaterThan(correction, 170)
        XCTAssertGreaterThan(up, 170)
        let message = String(describing: calibration.warnings[0])
        XCTAssertTrue(message.contains("sensor 0 is upside down"), message)
        XCTAssertTrue(message.contains("fix `mount`"), message)
        // Without a declared mount there is nothing to contradict.
        XCTAssertTrue(try Calibration(standing: p.standing, sitting: p.sitting).warnings.isEmpty)
    }
}
