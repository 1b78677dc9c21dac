import Foundation
import PostureCore
import XCTest

final class CalibrationTests: XCTestCase {
    /// Upright sitting tilts the pelvis back ~18° and flexes the lumbar spine ~12°.
    static let sittingTilt = -18.0
    static let sittingFlexion = 12.0

    /// A still window of `seconds` at 100 Hz for each sensor mount given, with a little
    /// noise and a constant gyro bias (which must not count as movement).
    static func capture(
        _ pose: CalibrationPose, pelvis: Quaternion, pelvisMount: Quaternion,
        upper: Quaternion? = nil, upperMount: Quaternion? = nil, seconds: Double = 4,
        gyroWobble: Double = 0, accelWobble: Double = 0
    ) -> PoseCapture {
        var capture = PoseCapture(pose: pose)
        var noise = TestNoise(seed: 7)
        let bias = Vector3(0.02, -0.03, 0.01)
        let count = Int(seconds * 100)
        for i in 0..<count {
            let t = Double(i) / 100
            // Alternating wobble: a movement, not a bias.
            let sign = i % 20 < 10 ? 1.0 : -1.0
            for (sensor, body, mount) in [(0, pelvis, pelvisMount), (1, upper, upperMount)] {
                guard let body, let mount else { continue }
                let accel = PostureRig.stillAccel(body, mount: mount) + noise.vector(0.03) + Vector3(accelWobble * sign, 0, 0)
                let gyro = bias + noise.vector(0.005) + Vector3(0, gyroWobble * sign, 0)
                capture.add(IMUSample(t: t, sensor: sensor, accel: accel, gyro: gyro))
            }
        }
        return capture
    }

    static func calibrate(
        pelvisMount: Quaternion, upperMount: Quaternion? = nil,
        sittingTilt: Double = sittingTilt, sittingFlexion: Double = sittingFlexion,
        pelvisPrior: MountingPrior = .undeclared
    ) throws -> Calibration {
        let standing = try capture(
            .standing, pelvis: .identity, pelvisMount: pelvisMount, upper: .identity, upperMount: upperMount
        ).result().get()
        let sitting = try capture(
            .sitting, pelvis: PostureRig.tilt(sittingTilt), pelvisMount: pelvisMount,
            upper: PostureRig.tilt(sittingTilt + sittingFlexion), upperMount: upperMount
        ).result().get()
        return try Calibration(standing: standing, sitting: sitting, pelvisPrior: pelvisPrior)
    }

    // MARK: - Calibration geometry

    func testCalibratedAnglesAreZeroStandingAndReferenceSitting() throws {
        // Realistic mounting: sacrum sloping 30°, stickers yawed 4° and −6°.
        let pelvisMount = PostureRig.mount(yaw: 4, pitch: 30)
        let upperMount = PostureRig.mount(yaw: -6, pitch: -10)
        let calibration = try Self.calibrate(pelvisMount: pelvisMount, upperMount: upperMount)
        XCTAssertEqual(calibration.pelvis.lateralAxis, .measured)
        XCTAssertEqual(calibration.upperLumbar?.lateralAxis, .measured)
        XCTAssertEqual(calibration.sittingPelvicTilt, Self.sittingTilt, accuracy: 0.2)
        XCTAssertEqual(calibration.sittingLumbarFlexion ?? .nan, Self.sittingFlexion, accuracy: 0.3)
        XCTAssertEqual(calibration.sittingPelvicObliquity, 0, accuracy: 0.2)
        XCTAssertEqual(calibration.sittingReference.pelvicTilt, calibration.sittingPelvicTilt)

        let estimator = SegmentAngleEstimator(calibration: calibration)
        let standing = estimator.angles(
            pelvis: PostureRig.sensor(.identity, mount: pelvisMount),
            upperLumbar: PostureRig.sensor(.identity, mount: upperMount))
        XCTAssertEqual(standing.pelvicTilt, 0, accuracy: 0.2)
        XCTAssertEqual(standing.pelvicObliquity, 0, accuracy: 0.2)
        XCTAssertEqual(standing.lumbarFlexion ?? .nan, 0, accuracy: 0.3)
        // Sign conventions survive the misaligned mounting.
        let moved = estimator.angles(
            pelvis: PostureRig.sensor(PostureRig.raiseLeft(5) * PostureRig.tilt(10), mount: pelvisMount),
            upperLumbar: PostureRig.sensor(PostureRig.raiseLeft(5) * PostureRig.tilt(25), mount: upperMount))
        XCTAssertEqual(moved.pelvicTilt, 10, accuracy: 0.3)
        XCTAssertEqual(moved.pelvicObliquity, 5, accuracy: 0.3)
        XCTAssertEqual(moved.lumbarFlexion ?? .nan, 15, accuracy: 0.5)
    }

    /// Obliquity change caused by a 20° sagittal tilt, with a mounting yawed by `yaw`.
    private func obliquityLeak(yaw: Double, calibrated: Bool) throws -> Double {
        let mount = PostureRig.mount(yaw: yaw, pitch: 25)
        let estimator = calibrated
            ? SegmentAngleEstimator(calibration: try Self.calibrate(pelvisMount: mount))
            : SegmentAngleEstimator(pelvis: .standard, upperLumbar: nil)
        let before = estimator.angles(pelvis: PostureRig.sensor(.identity, mount: mount), upperLumbar: nil)
        let after = estimator.angles(pelvis: PostureRig.sensor(PostureRig.tilt(20), mount: mount), upperLumbar: nil)
        return abs(after.pelvicObliquity - before.pelvicObliquity)
    }

    func testMisalignmentDoesNotLeakSagittalMotionIntoObliquity() throws {
        // Requirement: < 10% of a 20° tilt, i.e. < 2°. Calibration does much better.
        XCTAssertLessThan(try obliquityLeak(yaw: 4, calibrated: true), 0.2)
        XCTAssertLessThan(try obliquityLeak(yaw: 15, calibrated: true), 0.2)
        XCTAssertLessThan(try obliquityLeak(yaw: -10, calibrated: true), 0.2)
        // Without calibration, the same yaws leak: what calibration is for.
        XCTAssertGreaterThan(try obliquityLeak(yaw: 15, calibrated: false), 4)
    }

    func testTooSimilarPosesFallBackToADeclaredMounting() throws {
        let mount = PostureRig.mount(pitch: 20)
        let calibration = try Self.calibrate(pelvisMount: mount, sittingTilt: -4, pelvisPrior: .declared(.standard))
        XCTAssertEqual(calibration.pelvis.lateralAxis, .prior)
        XCTAssertEqual(calibration.pelvis.mountingKnowledge, .declared)
        // The configured left axis, made perpendicular to the measured up.
        XCTAssertEqual(calibration.pelvis.mounting.bodyY.dot(Vector3(0, 1, 0)), 1, accuracy: 1e-3)
        XCTAssertEqual(calibration.sittingPelvicTilt, -4, accuracy: 0.2)
        // Undeclared, nothing better than the measured axis is known, however close the poses.
        let undeclared = try Self.calibrate(pelvisMount: mount, sittingTilt: -4)
        XCTAssertEqual(undeclared.pelvis.lateralAxis, .measured)
        XCTAssertEqual(undeclared.pelvis.mountingKnowledge, .undeclared)
        XCTAssertEqual(undeclared.sittingPelvicTilt, -4, accuracy: 0.2)
    }

    func testUpperLumbarFlexingForwardOnSittingKeepsItsLeftAxis() throws {
        // Flexion (25°) larger than the pelvic tilt (−15°): the upper sensor turns *forward*
        // on sitting, so the cross product points right; the prior restores the sign.
        let upperMount = PostureRig.mount(yaw: 5)
        let calibration = try Self.calibrate(
            pelvisMount: PostureRig.mount(), upperMount: upperMount, sittingTilt: -15, sittingFlexion: 25)
        XCTAssertEqual(calibration.upperLumbar?.lateralAxis, .measured)
        XCTAssertEqual(calibration.sittingLumbarFlexion ?? .nan, 25, accuracy: 0.3)
        XCTAssertGreaterThan(calibration.upperLumbar?.mounting.bodyY.y ?? 0, 0.99)
    }

    func testCalibrationIsCodable() throws {
        let calibration = try Self.calibrate(pelvisMount: PostureRig.mount(yaw: 3), upperMount: PostureRig.mount())
        let data = try JSONEncoder().encode(calibration)
        XCTAssertEqual(try JSONDecoder().decode(Calibration.self, from: data), calibration)
        XCTAssertEqual(calibration.version, Calibration.currentVersion)
    }

    func testConfiguredRemapIsThePrior() throws {
        // Sensor mounted rotated 90° about its z ("-y,x,z"), and the poses too similar to
        // measure the left axis: the remap alone must still give the right axes.
        let remap = try SensorMounting(remap: "-y,x,z")
        let physical = remap.sensorToBody
        let standing = try Self.capture(.standing, pelvis: .identity, pelvisMount: physical).result().get()
        let sitting = try Self.capture(.sitting, pelvis: PostureRig.tilt(-4), pelvisMount: physical).result().get()
        let calibration = try Calibration(standing: standing, sitting: sitting, pelvisPrior: .declared(remap))
        XCTAssertEqual(calibration.pelvis.lateralAxis, .prior)
        let a = SegmentAngleEstimator(calibration: calibration)
            .angles(pelvis: PostureRig.sensor(PostureRig.raiseLeft(6), mount: physical), upperLumbar: nil)
        XCTAssertEqual(a.pelvicObliquity, 6, accuracy: 0.2)
        XCTAssertLessThan(calibration.pelvis.correctionFromPriorDegrees, 2)
    }

    // MARK: - Errors

    func testNoPelvisSamplesIsAnError() {
        let empty = PoseCapture(pose: .standing)
        XCTAssertEqual(empty.result().failure, .noSamples(pose: .standing, sensor: 0))
        // Only sensor 1 reported: still no pelvis.
        var onlyUpper = PoseCapture(pose: .sitting)
        onlyUpper.add(IMUSample(t: 0, sensor: 1, accel: Vector3(9.8, 0, 0), gyro: .zero))
        XCTAssertEqual(onlyUpper.result().failure, .noSamples(pose: .sitting, sensor: 0))
        XCTAssertTrue(String(describing: onlyUpper.result().failure!).contains("sitting"))
    }

    func testUpperSensorInOnlyOnePoseIsAnError() throws {
        let mount = PostureRig.mount()
        let standing = try Self.capture(.standing, pelvis: .identity, pelvisMount: mount, upper: .identity, upperMount: mount)
            .result().get()
        let sitting = try Self.capture(.sitting, pelvis: PostureRig.tilt(-18), pelvisMount: mount).result().get()
        XCTAssertThrowsError(try Calibration(standing: standing, sitting: sitting)) {
            XCTAssertEqual($0 as? CalibrationError, .noSamples(pose: .sitting, sensor: 1))
        }
        XCTAssertThrowsError(try Calibration(standing: sitting, sitting: standing)) {
            XCTAssertEqual($0 as? CalibrationError, .noSamples(pose: .standing, sensor: 1))
        }
    }

    func testMovingIsAnErrorNamingPoseSensorAndValues() {
        let mount = PostureRig.mount()
        let rocking = Self.capture(.standing, pelvis: .identity, pelvisMount: mount, upper: .identity, upperMount: mount, gyroWobble: 0.4)
        guard case .moved(.standing, let stillest, 3)? = rocking.result().failure,
            stillest.motion.sensor == 0, stillest.motion.measure == .gyroRMS
        else {
            return XCTFail("expected a gyro movement error, got \(String(describing: rocking.result()))")
        }
        XCTAssertEqual(stillest.motion.measured, 0.4, accuracy: 0.02)
        XCTAssertEqual(stillest.motion.allowed, 0.15)
        let message = String(describing: rocking.result().failure!)
        XCTAssertTrue(message.contains("standing") && message.contains("sensor 0") && message.contains("0.15"), message)

        let shaking = Self.capture(.sitting, pelvis: PostureRig.tilt(-18), pelvisMount: mount, accelWobble: 1.5)
        guard case .moved(.sitting, let stillest, _)? = shaking.result().failure,
            stillest.motion.sensor == 0, stillest.motion.measure == .accelStd, stillest.motion.allowed == 0.5
        else {
            return XCTFail("expected an accelerometer movement error, got \(String(describing: shaking.result()))")
        }
        XCTAssertEqual(stillest.motion.measured, 1.5, accuracy: 0.05)
    }

    func testStillWithGyroBiasIsAccepted() throws {
        let pose = try Self.capture(.standing, pelvis: .identity, pelvisMount: PostureRig.mount()).result().get()
        XCTAssertLessThan(pose.pelvis.gyroRMS, 0.02)
        XCTAssertEqual(pose.pelvis.meanAccelNorm, standardGravity, accuracy: 0.05)
        XCTAssertNil(pose.upperLumbar)
        XCTAssertEqual(pose.pelvis.sampleCount, 400)
        XCTAssertEqual(pose.stillStretch?.duration ?? 0, 3.99, accuracy: 1e-9, "a still window is used whole")
    }

    func testZeroAccelerationIsIgnoredNotAveraged() {
        var capture = PoseCapture(pose: .standing)
        capture.add(IMUSample(t: 0, sensor: 0, accel: .zero, gyro: .zero))
        capture.add(IMUSample(t: 0, sensor: 0, accel: Vector3(.nan, 0, 0), gyro: .zero))
        capture.add(IMUSample(t: 0, sensor: 5, accel: Vector3(9.8, 0, 0), gyro: .zero))
        XCTAssertEqual(capture.sampleCount(sensor: 0), 0)
        XCTAssertEqual(capture.result().failure, .noSamples(pose: .standing, sensor: 0))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Deterministic Gaussian noise (xorshift + Box–Muller): tests must not be flaky.
struct TestNoise {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func uniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func gaussian(_ sigma: Double) -> Double {
        sigma * (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * .pi * uniform())
    }

    mutating func vector(_ sigma: Double) -> Vector3 { Vector3(gaussian(sigma), gaussian(sigma), gaussian(sigma)) }
}
