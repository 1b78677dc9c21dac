import Foundation
import PostureCore
import XCTest

/// Real wearers shift and sway: a pose comes from the stillest stretch of its window.
final class StillStretchTests: XCTestCase {
    private let mount = PostureRig.mount(yaw: 4, pitch: 25)
    private let rate = 100.0

    /// A window of pelvis samples: `posture(t)` gives the body pose, and samples with
    /// `moving(t)` rock at ±`wobble` rad/s (and swing the accelerometer by 2 m/s²).
    private func window(
        seconds: Double, from start: Double = 100, wobble: Double = 0.5, posture: (Double) -> Quaternion,
        moving: (Double) -> Bool
    ) -> PoseCapture {
        var capture = PoseCapture(pose: .standing)
        var noise = TestNoise(seed: 11)
        for i in 0...Int(seconds * rate) {
            let t = Double(i) / rate
            let sign = i % 20 < 10 ? 1.0 : -1.0
            let motion = moving(t) ? sign : 0
            let accel = PostureRig.stillAccel(posture(t), mount: mount) + noise.vector(0.03) + Vector3(2 * motion, 0, 0)
            let gyro = Vector3(0.01, 0, 0) + noise.vector(0.005) + Vector3(0, wobble * motion, 0)
            capture.add(IMUSample(t: start + t, sensor: 0, accel: accel, gyro: gyro))
        }
        return capture
    }

    private func stillUp(_ body: Quaternion) -> Vector3 { PostureRig.stillAccel(body, mount: mount).normalized! }

    func testMovementAtTheStartIsLeftOut() throws {
        // Settling in for 3.5 s (tilted 10° and rocking), then still and upright for 6.5 s.
        let capture = window(seconds: 10, posture: { $0 < 3.5 ? PostureRig.tilt(10) : .identity }, moving: { $0 < 3.5 })
        let pose = try capture.result().get()
        let stretch = try XCTUnwrap(pose.stillStretch)
        XCTAssertGreaterThanOrEqual(stretch.start, 103.5, "the stretch must not reach into the movement: \(stretch)")
        XCTAssertGreaterThan(stretch.duration, 6, "the whole still part is used: \(stretch)")
        XCTAssertEqual(stretch.windowDuration, 10, accuracy: 1e-9)
        XCTAssertLessThan(pose.pelvis.up.angle(to: stillUp(.identity)).degrees, 0.1)
        XCTAssertLessThan(pose.pelvis.gyroRMS, 0.02)
    }

    func testMovementInTheMiddleIsLeftOut() throws {
        // Still 0–4 s, shifting weight 4–6 s (leaning 8° and rocking), still again 6–10 s.
        let sitting = PostureRig.tilt(-18)
        let moving: (Double) -> Bool = { $0 >= 4 && $0 < 6 }
        let capture = window(
            seconds: 10, posture: { moving($0) ? PostureRig.tilt(-10) : sitting }, moving: moving)
        let pose = try capture.result().get()
        let stretch = try XCTUnwrap(pose.stillStretch)
        XCTAssertTrue(stretch.end <= 104.25 || stretch.start >= 105.75, "the stretch spans the movement: \(stretch)")
        XCTAssertGreaterThanOrEqual(stretch.duration, 3.5)
        XCTAssertLessThan(pose.pelvis.up.angle(to: stillUp(sitting)).degrees, 0.1)
        XCTAssertTrue(stretch.summary.contains("of the 10.0 s window"), stretch.summary)
    }

    func testNoStillStretchIsRefusedWithWhatToDo() {
        // A short movement every 2.5 s: never 3 s of stillness.
        let capture = window(
            seconds: 10, wobble: 0.8, posture: { _ in .identity },
            moving: { $0.truncatingRemainder(dividingBy: 2.5) < 0.6 })
        guard case .moved(.standing, let stillest, 3)? = capture.result().failure else {
            return XCTFail("expected a movement error, got \(capture.result())")
        }
        XCTAssertGreaterThan(stillest.motion.share, 1)
        XCTAssertEqual(stillest.duration, 3, accuracy: 0.3)
        let message = String(describing: capture.result().failure!)
        for fragment in ["standing pose", "no 3.0 s of the 10.0 s window", "allowed", "hold still for 3.0 s"] {
            XCTAssertTrue(message.contains(fragment), "'\(fragment)' missing from: \(message)")
        }
        XCTAssertNotNil(
            message.range(of: #"(gyro RMS|accelerometer std) [0-9.]+ (rad/s|m/s²), at most [0-9.]+ allowed"#, options: .regularExpression),
            message)
    }

    func testAWindowShorterThanTheStretchIsItsOwnError() {
        let capture = window(seconds: 2, posture: { _ in .identity }, moving: { _ in false })
        XCTAssertEqual(capture.result().failure, .windowTooShort(pose: .standing, seconds: 2, required: 3))
        let message = String(describing: capture.result().failure!)
        XCTAssertTrue(message.contains("2.0 s long") && message.contains("at least 3.0 s"), message)
        XCTAssertNil(capture.lengthError(windowSeconds: 3))
        XCTAssertNotNil(capture.lengthError(windowSeconds: 2.9))
    }
}
