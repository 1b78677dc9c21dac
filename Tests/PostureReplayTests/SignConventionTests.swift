import Foundation
import PostureCore
import PostureReplay
import XCTest

/// Each angle convention of architecture.md, built from its physical definition rather than
/// from the simulator: a body is posed in the earth frame (x forward, y left, z up), the sensors
/// are mounted per the default mounting (sensor x up the spine, z out of the back, y left), and
/// the recording holds what such sensors measure (specific force = +g along earth-up in the
/// sensor frame; angular rate consistent with the motion). The recording goes through the
/// replay path (CSV → `Replay.calibrate` → engine), like `posturectl replay --angles`.
final class SignConventionTests: XCTestCase {
    /// A posture in physical terms, degrees.
    struct Pose {
        /// Rotation of the pelvis about the wearer's left axis that moves its top **forward**.
        var pelvisForward = 0.0
        /// Rotation of the pelvis about the wearer's forward axis that raises its **left** side.
        var pelvisLeftUp = 0.0
        /// How much further the upper lumbar segment is rotated top-forward than the pelvis
        /// (bending the lower back forward).
        var lumbarBentForward = 0.0
    }

    /// Sensor → body for the default mounting: sensor x → body z (up the spine),
    /// sensor y → body y (left), sensor z → body −x (out of the back). Built from those three
    /// facts, not taken from the code under test.
    static let mount: Quaternion = {
        // A rotation about body y by −90° sends x → z and z → −x.
        let q = Quaternion(axis: Vector3(0, 1, 0), angle: -Double.pi / 2)
        precondition((q.rotate(Vector3(1, 0, 0)) - Vector3(0, 0, 1)).norm < 1e-12)
        precondition((q.rotate(Vector3(0, 1, 0)) - Vector3(0, 1, 0)).norm < 1e-12)
        precondition((q.rotate(Vector3(0, 0, 1)) - Vector3(-1, 0, 0)).norm < 1e-12)
        return q
    }()

    /// Body → earth of a segment rotated top-forward by `forward` and left-side-up by `leftUp`.
    static func segment(forward: Double, leftUp: Double) -> Quaternion {
        // About earth y (left), a positive angle turns z (up) towards x (forward): top forward.
        // About earth x (forward), a positive angle turns y (left) towards z (up): left side up.
        Quaternion(axis: Vector3(0, 1, 0), angle: forward.radians) * Quaternion(axis: Vector3(1, 0, 0), angle: leftUp.radians)
    }

    /// Sensor → earth of the pelvis (0) and upper lumbar (1) sensors in `pose`.
    static func sensors(_ pose: Pose) -> [Quaternion] {
        [
            segment(forward: pose.pelvisForward, leftUp: pose.pelvisLeftUp) * mount,
            segment(forward: pose.pelvisForward + pose.lumbarBentForward, leftUp: pose.pelvisLeftUp) * mount,
        ]
    }

    /// A recording: hold `poses[i].pose` for `poses[i].hold` seconds, moving smoothly (cosine
    /// blend over 2 s) between them; 100 Hz, both sensors, noise-free but physically consistent.
    static func recording(_ poses: [(pose: Pose, hold: Double)], rate: Double = 100) -> String {
        func lerp(_ a: Pose, _ b: Pose, _ s: Double) -> Pose {
            Pose(
                pelvisForward: a.pelvisForward + (b.pelvisForward - a.pelvisForward) * s,
                pelvisLeftUp: a.pelvisLeftUp + (b.pelvisLeftUp - a.pelvisLeftUp) * s,
                lumbarBentForward: a.lumbarBentForward + (b.lumbarBentForward - a.lumbarBentForward) * s)
        }
        let move = 2.0
        var starts: [Double] = []
        var t0 = 0.0
        for p in poses {
            starts.append(t0)
            t0 += p.hold
        }
        let duration = t0
        func pose(at t: Double) -> Pose {
            let i = max(0, (starts.lastIndex { $0 <= t }) ?? 0)
            guard i > 0, t < starts[i] + move else { return poses[i].pose }
            let s = (1 - Double.cos(Double.pi * (t - starts[i]) / move)) / 2
            return lerp(poses[i - 1].pose, poses[i].pose, s)
        }
        var text = "# postured imu csv v1; sign convention test\nt,sensor,ax,ay,az,gx,gy,gz\n"
        let h = 1e-4
        let n = Int(duration * rate)
        for k in 0..<n {
            let t = Double(k) / rate
            let now = sensors(pose(at: t)), before = sensors(pose(at: t - h)), after = sensors(pose(at: t + h))
            for sensor in 0..<2 {
                // At rest an accelerometer reads +g along earth-up, in its own frame.
                let accel = now[sensor].inverseRotate(Vector3(0, 0, 9.81))
                // Angular rate in the sensor frame: 2 · vector part of (q(t−h)* q(t+h)) / 2h.
                var d = before[sensor].conjugate * after[sensor]
                if d.w < 0 { d = Quaternion(w: -d.w, x: -d.x, y: -d.y, z: -d.z) }
                let gyro = d.vector * (2 / (2 * h))
                text += String(
                    format: "%.6f,%ld,%.6f,%.6f,%.6f,%.7f,%.7f,%.7f\n", t, sensor, accel.x, accel.y, accel.z, gyro.x, gyro.y,
                    gyro.z)
            }
        }
        return text
    }

    /// The engine's angles at the end of each hold (mean over its last second).
    private func anglesAtEndOfHolds(_ poses: [(pose: Pose, hold: Double)], sitIndex: Int = 1) throws -> [SegmentAngles] {
        let dir = try TemporaryDirectory()
        let path = try dir.file("poses.csv", Self.recording(poses))
        var ends: [Double] = []
        var t = 0.0
        for p in poses {
            t += p.hold
            ends.append(t)
        }
        let sitStart = ends[sitIndex - 1]
        let replay = Replay(
            inputPath: path, stand: TimeWindow(start: 1, end: ends[0] - 1),
            sit: TimeWindow(start: sitStart + 3, end: ends[sitIndex] - 1))
        let calibration = try replay.calibrate()
        var sums = Array(repeating: (tilt: 0.0, obliquity: 0.0, flexion: 0.0, n: 0), count: poses.count)
        _ = try replay.run(calibration: calibration) { step in
            guard let i = ends.firstIndex(where: { step.t < $0 }), step.t >= ends[i] - 1 else { return }
            sums[i].tilt += step.angles.pelvicTilt
            sums[i].obliquity += step.angles.pelvicObliquity
            sums[i].flexion += step.angles.lumbarFlexion ?? .nan
            sums[i].n += 1
        }
        return sums.map { s in
            let n = Double(s.n)
            return SegmentAngles(pelvicTilt: s.tilt / n, pelvicObliquity: s.obliquity / n, lumbarFlexion: s.flexion / n)
        }
    }

    /// Standing tall, then sitting upright (pelvis 17° back, lower back bent 8° forward),
    /// then the poses under test, each held 12 s.
    private func judge(
        _ poses: [Pose], file: StaticString = #filePath, line: UInt = #line
    ) throws -> [SegmentAngles] {
        let calibration: [(pose: Pose, hold: Double)] = [
            (Pose(), 12), (Pose(pelvisForward: -17, lumbarBentForward: 8), 14),
        ]
        let angles = try anglesAtEndOfHolds(calibration + poses.map { ($0, 12.0) })
        // Standing tall is the zero; sitting upright reads as posterior tilt and flexion.
        XCTAssertEqual(angles[0].pelvicTilt, 0, accuracy: 0.5, "standing tall is the zero of pelvic_tilt", file: file, line: line)
        XCTAssertEqual(angles[0].pelvicObliquity, 0, accuracy: 0.5, file: file, line: line)
        XCTAssertEqual(angles[0].lumbarFlexion ?? .nan, 0, accuracy: 0.5, file: file, line: line)
        XCTAssertEqual(angles[1].pelvicTilt, -17, accuracy: 1, "sitting upright: pelvis 17° back", file: file, line: line)
        XCTAssertEqual(angles[1].lumbarFlexion ?? .nan, 8, accuracy: 1, file: file, line: line)
        return Array(angles.dropFirst(2))
    }

    func testTiltingThePelvisForwardMakesPelvicTiltPositive() throws {
        let a = try judge([Pose(pelvisForward: 12), Pose(pelvisForward: -12)])
        XCTAssertEqual(a[0].pelvicTilt, 12, accuracy: 1, "top of the pelvis forward (anterior) → positive pelvic_tilt")
        XCTAssertEqual(a[1].pelvicTilt, -12, accuracy: 1, "top of the pelvis back (posterior) → negative pelvic_tilt")
        XCTAssertEqual(a[0].pelvicObliquity, 0, accuracy: 1, "a sagittal tilt must not leak into obliquity")
        XCTAssertEqual(a[0].lumbarFlexion ?? .nan, 0, accuracy: 1, "the whole trunk tilting is not lumbar flexion")
    }

    func testRaisingTheLeftSideMakesPelvicObliquityPositive() throws {
        let a = try judge([Pose(pelvisLeftUp: 8), Pose(pelvisLeftUp: -8)])
        XCTAssertEqual(a[0].pelvicObliquity, 8, accuracy: 1, "left side of the pelvis higher → positive pelvic_obliquity")
        XCTAssertEqual(a[1].pelvicObliquity, -8, accuracy: 1, "right side higher → negative pelvic_obliquity")
        XCTAssertEqual(a[0].pelvicTilt, 0, accuracy: 1, "a frontal tilt must not leak into pelvic_tilt")
    }

    func testBendingTheLowerBackForwardMakesLumbarFlexionPositive() throws {
        let a = try judge([Pose(lumbarBentForward: 20), Pose(lumbarBentForward: -10)])
        XCTAssertEqual(a[0].lumbarFlexion ?? .nan, 20, accuracy: 1, "upper lumbar bent forward over the pelvis → positive lumbar_flexion")
        XCTAssertEqual(a[1].lumbarFlexion ?? .nan, -10, accuracy: 1, "extension (bent backward) → negative lumbar_flexion")
        XCTAssertEqual(a[0].pelvicTilt, 0, accuracy: 1, "bending the lower back does not move the pelvis")
    }

    /// Slumping (pelvis back and lower back bent forward) vs leaning to the desk from the hips
    /// (pelvis forward, lower back neutral): opposite signs of pelvic tilt relative to sitting.
    func testSlumpAndLeanFromTheHipsHaveOppositePelvicTilt() throws {
        let a = try judge([
            Pose(pelvisForward: -31, lumbarBentForward: 30), Pose(pelvisForward: 5, lumbarBentForward: 6),
        ])
        XCTAssertEqual(a[0].pelvicTilt, -31, accuracy: 1.5)
        XCTAssertEqual(a[0].lumbarFlexion ?? .nan, 30, accuracy: 1.5)
        XCTAssertEqual(a[1].pelvicTilt, 5, accuracy: 1.5)
        XCTAssertEqual(a[1].lumbarFlexion ?? .nan, 6, accuracy: 1.5)
    }
}
