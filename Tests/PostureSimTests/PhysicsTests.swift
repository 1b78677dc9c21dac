import PostureCore
import XCTest
@testable import PostureSim

final class PhysicsTests: XCTestCase {
    let g = standardGravity

    /// At rest the accelerometer reads +g along earth-up expressed in the sensor frame.
    func testAtRestAccelIsGravityAlongTruthUp() throws {
        // No scripted move in the calibration windows: truly at rest.
        let scenario = try XCTUnwrap(quietCalibration("slouch", from: 7))
        let wearer = mannequin(scenario, config: .ideal)
        for t in [2.0, 5.0, 16.0, 20.0, 24.0, 100.0] {
            for sensor in 0...1 {
                let s = wearer.sample(sensor: sensor, at: t)
                let up = wearer.orientation(sensor: sensor, at: t).upInBodyFrame
                XCTAssertEqual(s.accel.norm, g, accuracy: 0.03, "t=\(t) sensor \(sensor)")
                XCTAssertLessThan(s.accel.angle(to: up).degrees, 0.2, "t=\(t) sensor \(sensor)")
            }
        }
        // A real sensor: the 1 s mean, its offset and scale errors taken out, points along truth up.
        let noisy = mannequin(scenario)
        let errors = try XCTUnwrap(noisy.sensorErrors.first)
        var sum = Vector3.zero
        for i in 0..<100 { sum += noisy.sample(sensor: 0, at: 18 + Double(i) / 100).accel }
        let mean = unscaled(sum / 100, matrix: errors.accelMatrix, offset: errors.accelOffset(at: 18.5))
        XCTAssertEqual(mean.norm, g, accuracy: 0.02)
        XCTAssertLessThan(mean.angle(to: noisy.orientation(sensor: 0, at: 18.5).upInBodyFrame).degrees, 0.3)
    }

    /// Integrating the gyroscope (minus the known bias) reproduces the orientation change.
    func testGyroIntegrationReproducesOrientation() throws {
        let scenario = try XCTUnwrap(Scenario.named("walk", seed: 3))
        // Exact kinematics at 1 kHz: sit-to-stand, walk start with a turn, walking, fidgets.
        let ideal = scenario.makeWearer(config: .ideal)
        for (t1, t2) in [(39.0, 44.0), (49.0, 60.0), (100.0, 110.0), (168.0, 190.0)] {
            for sensor in 0...1 {
                let n = Int(((t2 - t1) * 1000).rounded())
                let rates = (0..<n).map { ideal.sample(sensor: sensor, at: t1 + (Double($0) + 0.5) / 1000).gyro }
                let q = integrate(ideal.orientation(sensor: sensor, at: t1), rates: rates, dt: 0.001)
                XCTAssertLessThan(angleBetween(q, ideal.orientation(sensor: sensor, at: t2)), 0.05, "\(t1)–\(t2) s\(sensor)")
            }
        }
        // Realistic sensor at 100 Hz (trapezoid rule), offset and scale errors taken out: within 0.5°.
        let real = scenario.makeWearer()
        for sensor in 0...1 {
            let t1 = 45.0, t2 = 75.0
            let errors = real.sensorErrors[sensor]
            let samples = Array(real.makeSamples(rate: 100, from: t1, to: t2 + 0.005)).filter { $0.sensor == sensor }
            let unbiased = samples.map { unscaled($0.gyro, matrix: errors.gyroMatrix, offset: errors.gyroOffset(at: $0.t)) }
            let rates = zip(unbiased, unbiased.dropFirst()).map { ($0 + $1) / 2 }
            let q = integrate(real.orientation(sensor: sensor, at: t1), rates: rates, dt: 0.01)
            XCTAssertLessThan(angleBetween(q, real.orientation(sensor: sensor, at: t2)), 0.5, "sensor \(sensor)")
        }
    }

    /// Held still, the gyroscope reads its zero-rate offset (plus noise), within the
    /// MPU-6050's ±20 °/s and its drift over the warm-up.
    func testGyroAtRestReadsBias() throws {
        let scenario = try XCTUnwrap(quietCalibration("calibration", from: 11))
        let wearer = mannequin(scenario)
        let model = SensorErrorModel.mpu6050
        let largest = (model.gyroZeroRate + model.gyroZeroRatePerDegree * (25 - 18)).radians
        for sensor in 0...1 {
            var sum = Vector3.zero
            for i in 0..<500 { sum += wearer.sample(sensor: sensor, at: 16 + Double(i) / 100).gyro }
            let bias = wearer.gyroBias(sensor: sensor, at: 18.5)
            XCTAssertLessThan((sum / 500 - bias).norm, 0.002)
            XCTAssertLessThanOrEqual(bias.x.magnitude, largest)
        }
    }

    /// Walking: the vertical acceleration dominates at the step frequency, ±2–3 m/s².
    func testWalkingDominantFrequencyIsStepFrequency() throws {
        let wearer = try XCTUnwrap(Scenario.named("walk", seed: 5)).makeWearer()
        let t1 = 60.0, t2 = 160.0
        let samples = Array(wearer.makeSamples(rate: 100, from: t1, to: t2)).filter { $0.sensor == 0 }
        let signal = samples.map(\.accel.norm)
        let mean = signal.reduce(0, +) / Double(signal.count)
        let x = signal.map { $0 - mean }
        var best = (f: 0.0, power: 0.0)
        for k in 30...500 {
            let f = Double(k) / 100
            var re = 0.0, im = 0.0
            for (i, v) in x.enumerated() {
                let a = 2 * Double.pi * f * Double(i) / 100
                re += v * Double.cos(a)
                im += v * Double.sin(a)
            }
            if re * re + im * im > best.power { best = (f, re * re + im * im) }
        }
        let stepFrequency = Double(wearer.truth(at: t2).steps - wearer.truth(at: t1).steps) / (t2 - t1)
        XCTAssertEqual(best.f, stepFrequency, accuracy: 0.03)
        XCTAssert((1.6...2.0).contains(best.f), "\(best.f)")
        let amplitude = (x.map { $0 * $0 }.reduce(0, +) / Double(x.count)).squareRoot() * 2.0.squareRoot()
        XCTAssert((2.0...3.5).contains(amplitude), "vertical amplitude \(amplitude)")
        // Heading changes and pelvis oscillations of a few degrees.
        let truths = stride(from: t1, to: t2, by: 0.05).map { wearer.truth(at: $0) }
        let obliquity = truths.map(\.pelvicObliquity)
        let obliquityAmplitude = ((obliquity.max() ?? 0) - (obliquity.min() ?? 0)) / 2
        XCTAssert((2.0...6.0).contains(obliquityAmplitude), "obliquity ±\(obliquityAmplitude)°")
    }
}
