import PostureCore
import XCTest

/// Synthetic IMU data from a known sensor-to-earth orientation trajectory `q(t)`:
/// the gyroscope reads the body-frame rate (from q over one sample period), plus a bias;
/// the accelerometer reads gravity plus any linear acceleration, in the sensor frame.
private struct SyntheticIMU {
    var rate: Double
    var orientation: (Double) -> Quaternion
    var linearAcceleration: (Double) -> Vector3 = { _ in .zero }
    var gyroBias = Vector3.zero
    var noise = 0.0  // amplitude of uniform noise on both sensors (gyro: noise / 10)
    private var seed: UInt64 = 0x1234_5678_9ABC_DEF1

    static let gravity = 9.81

    init(rate: Double, orientation: @escaping (Double) -> Quaternion) {
        self.rate = rate
        self.orientation = orientation
    }

    var dt: Double { 1 / rate }

    mutating func uniform() -> Double {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        return Double(seed >> 11) / Double(1 << 53) * 2 - 1
    }

    /// The sample at time `t`: the rate over the preceding period (what an integrating
    /// filter needs), the specific force at `t`.
    mutating func sample(at t: Double) -> (accel: Vector3, gyro: Vector3) {
        let q = orientation(t)
        let d = orientation(t - dt).conjugate * q
        let angle = 2 * Double.atan2(d.vector.norm, d.w)
        let omega = d.vector.norm > 1e-15 ? d.vector * (angle / d.vector.norm / dt) : .zero
        let accel = q.inverseRotate(Vector3(0, 0, Self.gravity) + linearAcceleration(t))
        let n = Vector3(uniform(), uniform(), uniform()) * noise
        let m = Vector3(uniform(), uniform(), uniform()) * (noise / 10)
        return (accel + n, omega + gyroBias + m)
    }

    /// Runs `filter` from `start` for `duration` seconds; calls `check` after every sample.
    mutating func run(
        _ filter: inout OrientationFilter, from start: Double = 0, duration: Double,
        check: (Double, OrientationFilter, Quaternion) -> Void = { _, _, _ in }
    ) {
        let count = Int((duration * rate).rounded())
        for i in 0..<count {
            let t = start + Double(i) * dt
            let s = sample(at: t)
            filter.update(t: t, accel: s.accel, gyro: s.gyro)
            check(t, filter, orientation(t))
        }
    }
}

private func tilt(rollDegrees: Double, pitchDegrees: Double) -> Quaternion {
    Quaternion(axis: Vector3(0, 1, 0), angle: pitchDegrees.radians) * Quaternion(axis: Vector3(1, 0, 0), angle: rollDegrees.radians)
}

private func errorDegrees(_ filter: OrientationFilter, _ truth: Quaternion) -> Double {
    inclinationError(estimated: filter.orientation, truth: truth).degrees
}

/// A wearer-like motion: slow heading turns with tilts up to ~40° about both axes.
private func wobble(_ t: Double) -> Quaternion {
    Quaternion(axis: Vector3(0, 0, 1), angle: 0.5 * t)
        * tilt(rollDegrees: 35 * Double.sin(0.9 * t), pitchDegrees: 25 * Double.sin(0.6 * t + 1))
}

final class InclinationErrorTests: XCTestCase {
    func testIdenticalIsZeroAndHeadingIsIgnored() {
        let q = tilt(rollDegrees: 20, pitchDegrees: -10)
        XCTAssertEqual(inclinationError(estimated: q, truth: q), 0, accuracy: 1e-12)
        let turned = Quaternion(axis: Vector3(0, 0, 1), angle: 2.0) * q
        XCTAssertEqual(inclinationError(estimated: turned, truth: q), 0, accuracy: 1e-9)
    }

    func testTiltDifferenceIsItsAngle() {
        let a = tilt(rollDegrees: 10, pitchDegrees: 0)
        let b = tilt(rollDegrees: 25, pitchDegrees: 0)
        XCTAssertEqual(inclinationError(estimated: a, truth: b).degrees, 15, accuracy: 1e-9)
        XCTAssertEqual(inclinationError(estimated: .identity, truth: tilt(rollDegrees: 180, pitchDegrees: 0)).degrees, 180, accuracy: 1e-6)
        // Not sensitive to a quaternion's sign or scale.
        let scaled = Quaternion(w: -2 * b.w, x: -2 * b.x, y: -2 * b.y, z: -2 * b.z)
        XCTAssertEqual(inclinationError(estimated: scaled, truth: b), 0, accuracy: 1e-9)
    }
}

final class OrientationFilterTests: XCTestCase {
    func testStaticTiltConvergesToTheRightInclination() {
        let truth = tilt(rollDegrees: 30, pitchDegrees: -20)
        var imu = SyntheticIMU(rate: 100) { _ in truth }
        imu.noise = 0.05
        var filter = OrientationFilter()
        XCTAssertFalse(filter.isInitialized)
        imu.run(&filter, duration: 0.01)
        XCTAssertTrue(filter.isInitialized)
        // The first sample already sets the inclination from gravity.
        XCTAssertLessThan(errorDegrees(filter, truth), 1)
        imu.run(&filter, from: 0.01, duration: 10)
        XCTAssertLessThan(errorDegrees(filter, truth), 0.1)
        // The estimated up vector in the sensor frame is the measured gravity direction.
        let up = filter.orientation.upInBodyFrame
        XCTAssertEqual(up.angle(to: truth.upInBodyFrame).degrees, 0, accuracy: 0.1)
    }

    func testGyroBiasIsLearnedAtRest() {
        let bias = Vector3(0.02, -0.015, 0.01)
        let truth = tilt(rollDegrees: -15, pitchDegrees: 40)
        var imu = SyntheticIMU(rate: 200) { _ in truth }
        imu.gyroBias = bias
        imu.noise = 0.05
        var filter = OrientationFilter()
        imu.run(&filter, duration: 1)
        XCTAssertFalse(filter.isAtRest, "rest needs restMinDuration of stillness")
        imu.run(&filter, from: 1, duration: 19)
        XCTAssertTrue(filter.isAtRest)
        // All three axes, including the one about gravity, are observable at rest.
        XCTAssertLessThan((filter.gyroBias - bias).norm, 0.001, "\(filter.gyroBias)")
        XCTAssertLessThan(errorDegrees(filter, truth), 0.1)
    }

    func testGyroBiasIsLearnedInMotion() {
        let bias = Vector3(0.01, -0.015, 0.005)
        var imu = SyntheticIMU(rate: 100, orientation: wobble)
        imu.gyroBias = bias
        var filter = OrientationFilter()
        var worstEarly = 0.0, worstLate = 0.0
        imu.run(&filter, duration: 300) { t, f, q in
            XCTAssertFalse(f.isAtRest)
            if t > 5 && t < 60 { worstEarly = max(worstEarly, errorDegrees(f, q)) }
            if t > 200 { worstLate = max(worstLate, errorDegrees(f, q)) }
        }
        // Rotating through many attitudes makes every sensor axis observable from gravity.
        XCTAssertLessThan((filter.gyroBias - bias).norm, 0.002, "\(filter.gyroBias)")
        // Once learned, the bias no longer tilts the estimate.
        XCTAssertLessThan(worstEarly, 2.5)
        XCTAssertLessThan(worstLate, 0.3)
        XCTAssertLessThan(worstLate, worstEarly / 3)
    }

    /// A real wearer is never still by the rest detector's rule: a seated person's fidget of
    /// a few degrees moves the rate by ±15 °/s. An untrimmed chip's 15 °/s offset is still
    /// learned about the horizontal axes from the pose that stays put over a few seconds
    /// (`SteadyPoseOffsetCheck`), and the angles are right again within seconds, not the
    /// minutes the bias filter alone takes.
    func testALargeOffsetIsLearnedFromAFidgetingWearer() {
        let offset = Vector3(15.radians, -15.radians, 15.radians)
        var imu = SyntheticIMU(rate: 50) { t in
            let fidget = Double.sin(2 * .pi * 0.7 * t) + 0.6 * Double.sin(2 * .pi * 1.3 * t + 2)
            return tilt(rollDegrees: 2 * fidget, pitchDegrees: -17 + 1.5 * Double.sin(2 * .pi * 0.45 * t + 1))
        }
        imu.gyroBias = offset
        imu.noise = 0.05
        var filter = OrientationFilter()
        var worstLate = 0.0
        imu.run(&filter, duration: 30) { t, f, q in
            XCTAssertFalse(f.isAtRest, "the fidget is never a rest")
            if t > 15 { worstLate = max(worstLate, errorDegrees(f, q)) }
        }
        // Horizontal: the plane across gravity.
        let error = filter.gyroBias - offset
        let up = filter.orientation.upInBodyFrame
        let horizontal = error - up * error.dot(up)
        XCTAssertLessThan(horizontal.norm.degrees, 1.5, "bias \(filter.gyroBias * (180 / .pi)) °/s")
        XCTAssertLessThan(worstLate, 3, "inclination error once the offset is known")
    }

    func testFastRotationIsTracked() {
        // 2 rad/s about a tilted axis for 3 s, then stop: the accelerometer low-pass is far
        // slower than this, so only correct gyroscope integration can keep up.
        func trajectory(_ t: Double) -> Quaternion {
            let axis = Vector3(1, 1, 0.5).normalized!
            return Quaternion(axis: axis, angle: 2 * min(max(t - 1, 0), 3)) * tilt(rollDegrees: 10, pitchDegrees: 5)
        }
        var imu = SyntheticIMU(rate: 285.714, orientation: trajectory)
        var filter = OrientationFilter()
        var worst = 0.0
        imu.run(&filter, duration: 6) { _, f, q in worst = max(worst, errorDegrees(f, q)) }
        XCTAssertLessThan(worst, 0.5)
    }

    func testTappingIsRejected() {
        let truth = tilt(rollDegrees: 5, pitchDegrees: 60)
        var imu = SyntheticIMU(rate: 285.714) { _ in truth }
        // Taps, 4 per second for 10 s: a 15 ms push of 30 m/s² (3 g) and a 15 ms rebound
        // (the sensor does not travel away), with the gyroscope seeing the jolt too.
        imu.linearAcceleration = { t in
            guard t > 5, t < 15 else { return .zero }
            let phase = (t * 4).truncatingRemainder(dividingBy: 1)
            guard phase < 0.12 else { return .zero }
            let sign = phase < 0.06 ? 1.0 : -1.0
            return Vector3(30, 15, -20) * sign
        }
        imu.noise = 0.02
        var filter = OrientationFilter()
        var worst = 0.0
        imu.run(&filter, duration: 20) { t, f, q in if t > 4 { worst = max(worst, errorDegrees(f, q)) } }
        XCTAssertLessThan(worst, 1.0, "an accelerometer-only estimate is off by up to 70° here")
    }

    func testWalkingAccelerationIsRejected() {
        // Steps: 2 Hz vertical bounce of 3 m/s² and 1 Hz sway of 1.5 m/s², while the trunk
        // sways ±5° with the same rhythm.
        func trunk(_ t: Double) -> Quaternion {
            tilt(rollDegrees: 5 * Double.sin(2 * .pi * t), pitchDegrees: 80 + 3 * Double.sin(4 * .pi * t))
        }
        var imu = SyntheticIMU(rate: 100, orientation: trunk)
        imu.linearAcceleration = { t in
            Vector3(1.5 * Double.sin(2 * .pi * t), 0.8 * Double.cos(2 * .pi * t), 3 * Double.sin(4 * .pi * t))
        }
        imu.noise = 0.1
        var filter = OrientationFilter()
        var worst = 0.0
        imu.run(&filter, duration: 60) { t, f, q in if t > 15 { worst = max(worst, errorDegrees(f, q)) } }
        XCTAssertLessThan(worst, 0.5, "an accelerometer-only estimate is off by up to 17° here")
        // Starting mid-stride, the first inclination is off by ~4°: fixing it must not be
        // mistaken for gyroscope drift (the sensor x axis is near vertical, so a small
        // horizontal correction would map to a large x bias).
        XCTAssertLessThan(filter.gyroBias.norm, 0.002, "\(filter.gyroBias)")
    }

    func testSameAccuracyAt25HzAnd1kHz() {
        let bias = Vector3(-0.01, 0.01, 0.0)
        var results: [Double] = []
        for rate in [25.0, 1000.0] {
            var imu = SyntheticIMU(rate: rate, orientation: wobble)
            imu.gyroBias = bias
            imu.noise = 0.05
            var filter = OrientationFilter()
            var sum = 0.0, n = 0.0
            imu.run(&filter, duration: 120) { t, f, q in
                if t > 10 {
                    sum += errorDegrees(f, q) * errorDegrees(f, q)
                    n += 1
                }
            }
            let rms = (sum / n).squareRoot()
            XCTAssertLessThan(rms, 0.75, "rate \(rate) Hz")
            XCTAssertLessThan((filter.gyroBias - bias).norm, 0.005, "rate \(rate) Hz: \(filter.gyroBias)")
            results.append(rms)
        }
        XCTAssertEqual(results[0], results[1], accuracy: 0.3, "time constants, not per-sample constants")
    }

    func testRestTimingDoesNotDependOnRate() {
        for rate in [25.0, 1000.0] {
            var imu = SyntheticIMU(rate: rate) { _ in .identity }
            var filter = OrientationFilter()
            imu.run(&filter, duration: 1.2)
            XCTAssertFalse(filter.isAtRest, "\(rate) Hz")
            imu.run(&filter, from: 1.2, duration: 0.8)
            XCTAssertTrue(filter.isAtRest, "\(rate) Hz")
        }
    }

    func testLongGapRestartsFromGravity() {
        let before = tilt(rollDegrees: 0, pitchDegrees: 10)
        let after = tilt(rollDegrees: 50, pitchDegrees: -30)
        var imu = SyntheticIMU(rate: 100) { t in t < 15 ? before : after }
        imu.gyroBias = Vector3(0.01, 0, 0)
        var filter = OrientationFilter()
        imu.run(&filter, duration: 12)
        let learnedBias = filter.gyroBias
        XCTAssertLessThan((learnedBias - imu.gyroBias).norm, 0.001)
        XCTAssertLessThan(errorDegrees(filter, before), 0.2)
        // 5 s without data, during which the sensor moved; the first sample after the gap
        // sets the inclination again, and the bias learned before is kept.
        imu.run(&filter, from: 17, duration: 0.01)
        XCTAssertLessThan(errorDegrees(filter, after), 0.5)
        XCTAssertEqual(filter.gyroBias, learnedBias)
        XCTAssertFalse(filter.isAtRest, "rest detection restarts after a gap")
        imu.run(&filter, from: 17.01, duration: 10)
        XCTAssertLessThan(errorDegrees(filter, after), 0.2)
    }

    func testShortGapIsBridgedByTheGyroscope() {
        // Constant 1 rad/s rotation about a horizontal axis; 0.1 s of samples missing (below
        // maxGap): integrating the next rate over the whole gap is exact for a constant rate.
        func trajectory(_ t: Double) -> Quaternion { Quaternion(axis: Vector3(1, 0, 0), angle: 1.0 * t) }
        var imu = SyntheticIMU(rate: 100, orientation: trajectory)
        var filter = OrientationFilter()
        imu.run(&filter, duration: 2)
        let t = 2.1
        let q = trajectory(t)
        let rate = Vector3(1, 0, 0)
        filter.update(t: t, accel: q.inverseRotate(Vector3(0, 0, 9.81)), gyro: rate)
        XCTAssertLessThan(errorDegrees(filter, q), 0.5)
    }

    func testNonIncreasingTimeIsIgnored() {
        let truth = tilt(rollDegrees: 20, pitchDegrees: 0)
        var imu = SyntheticIMU(rate: 100) { _ in truth }
        var filter = OrientationFilter()
        imu.run(&filter, duration: 2)
        let snapshot = (filter.orientation, filter.gyroBias)
        // Wildly wrong samples with a repeated or earlier timestamp change nothing.
        filter.update(t: 1.99, accel: Vector3(9.81, 0, 0), gyro: Vector3(5, 5, 5))
        filter.update(t: 0.5, accel: Vector3(9.81, 0, 0), gyro: Vector3(5, 5, 5))
        XCTAssertEqual(filter.orientation, snapshot.0)
        XCTAssertEqual(filter.gyroBias, snapshot.1)
        imu.run(&filter, from: 2, duration: 1)
        XCTAssertLessThan(errorDegrees(filter, truth), 0.1)
    }

    func testNonFiniteInputIsIgnored() {
        let truth = tilt(rollDegrees: -25, pitchDegrees: 15)
        var imu = SyntheticIMU(rate: 100) { _ in truth }
        var filter = OrientationFilter()
        // Before initialisation too: a NaN first sample must not initialise the filter.
        filter.update(t: 0, accel: Vector3(.nan, 0, 9.81), gyro: .zero)
        XCTAssertFalse(filter.isInitialized)
        imu.run(&filter, duration: 3)
        let snapshot = (filter.orientation, filter.gyroBias)
        filter.update(t: 3.00, accel: Vector3(.nan, 0, 9.81), gyro: .zero)
        filter.update(t: 3.01, accel: Vector3(0, 0, 9.81), gyro: Vector3(0, .infinity, 0))
        filter.update(t: .nan, accel: Vector3(0, 0, 9.81), gyro: .zero)
        filter.update(t: .infinity, accel: Vector3(0, 0, 9.81), gyro: .zero)
        XCTAssertEqual(filter.orientation, snapshot.0)
        XCTAssertEqual(filter.gyroBias, snapshot.1)
        imu.run(&filter, from: 3.02, duration: 2)
        XCTAssertTrue(filter.orientation.w.isFinite && filter.orientation.x.isFinite)
        XCTAssertLessThan(errorDegrees(filter, truth), 0.1)
    }

    func testZeroAccelerationUsesGyroscopeOnly() {
        // Free fall (or a dead accelerometer) reads zero: keep integrating the gyroscope.
        var imu = SyntheticIMU(rate: 100) { _ in tilt(rollDegrees: 30, pitchDegrees: 0) }
        var filter = OrientationFilter()
        imu.run(&filter, duration: 3)
        let before = filter.orientation
        for i in 1...20 { filter.update(t: 3 + Double(i) * 0.01, accel: .zero, gyro: .zero) }
        XCTAssertLessThan(inclinationError(estimated: filter.orientation, truth: before).degrees, 0.01)
    }

    func testResetForgetsEverything() {
        var imu = SyntheticIMU(rate: 100) { _ in tilt(rollDegrees: 30, pitchDegrees: 0) }
        imu.gyroBias = Vector3(0.02, 0, 0)
        var parameters = OrientationFilter.Parameters()
        parameters.tauAccel = 2
        var filter = OrientationFilter(parameters: parameters)
        imu.run(&filter, duration: 5)
        filter.reset()
        XCTAssertFalse(filter.isInitialized)
        XCTAssertFalse(filter.isAtRest)
        XCTAssertEqual(filter.gyroBias, .zero)
        XCTAssertEqual(filter.orientation, .identity)
        XCTAssertEqual(filter.parameters, parameters)
    }
}
