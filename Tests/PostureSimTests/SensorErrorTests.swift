import PostureCore
import XCTest
@testable import PostureSim

/// The drawn sensors against their datasheets, and what a drawn sensor outputs.
final class SensorErrorTests: XCTestCase {
    let g = standardGravity
    let seeds: ClosedRange<UInt64> = 1...150

    private func draws(_ family: SensorFamily, _ draw: SensorErrorDraw) -> [SensorErrors] {
        seeds.flatMap { seed in
            SimulatedWearer(
                timeline: stillTimeline([]), seed: seed, config: .sensorErrors(family: family, draw: draw)
            ).sensorErrors
        }
    }

    /// Each error of `s` as (value, tolerance, what), in the units of `SensorErrors`.
    private func errors(_ s: SensorErrors) -> [(value: Double, tolerance: Double, what: String)] {
        let m = s.family.errorModel
        func axes(_ v: Vector3, _ t: Vector3, _ what: String) -> [(Double, Double, String)] {
            [(v.x, t.x, what + ".x"), (v.y, t.y, what + ".y"), (v.z, t.z, what + ".z")]
        }
        func matrix(_ a: Matrix3, scale: Double, cross: Double, _ what: String) -> [(Double, Double, String)] {
            let rows = [a.r0, a.r1, a.r2]
            return (0..<3).flatMap { i in
                (0..<3).map { j in
                    let v = [rows[i].x, rows[i].y, rows[i].z][j]
                    return i == j ? (v - 1, scale, "\(what) scale \(i)") : (v, cross, "\(what) cross \(i)\(j)")
                }
            }
        }
        let zro = m.gyroZeroRate.radians, drift = m.gyroZeroRatePerDegree.radians
        return axes(s.accelOffset, m.accelZeroG * g, "zero-g") + axes(s.accelOffsetPerDegree, m.accelZeroGPerDegree * g, "zero-g/°C")
            + matrix(s.accelMatrix, scale: m.accelScale, cross: m.accelCrossAxis, "accel")
            + axes(s.gyroOffset, Vector3(zro, zro, zro), "ZRO") + axes(s.gyroOffsetPerDegree, Vector3(drift, drift, drift), "ZRO/°C")
            + matrix(s.gyroMatrix, scale: m.gyroScale, cross: m.gyroCrossAxis, "gyro")
    }

    func testTypicalDrawsLieWithinTheDatasheetTolerances() {
        for family in SensorFamily.allCases {
            let all = draws(family, .typical)
            XCTAssertEqual(all.count, 2 * seeds.count)
            for (index, sensor) in all.enumerated() {
                for e in errors(sensor) {
                    XCTAssertLessThanOrEqual(abs(e.value), e.tolerance * (1 + 1e-12), "\(family) draw \(index): \(e.what)")
                }
                let w = sensor.temperature
                XCTAssert(WarmUpProfile.startRange.contains(w.start) && WarmUpProfile.skinRange.contains(w.skin), "\(family)")
            }
            // The draws use the whole range: some come close to each limit.
            for (k, e) in errors(all[0]).enumerated() {
                let largest = all.map { abs(errors($0)[k].value) }.max() ?? 0
                XCTAssertGreaterThan(largest, 0.9 * e.tolerance, "\(family): \(e.what) never near its tolerance")
            }
        }
    }

    func testLimitDrawsSitAtTheLimitsWithBothSigns() {
        for family in SensorFamily.allCases {
            let all = draws(family, .limit)
            for (index, sensor) in all.enumerated() {
                for e in errors(sensor) {
                    XCTAssertEqual(abs(e.value), e.tolerance, accuracy: 1e-12 * max(1, e.tolerance), "\(family) draw \(index): \(e.what)")
                }
                XCTAssertEqual(sensor.temperature, WarmUpProfile(start: 18, skin: 33, timeConstant: 360))
            }
            for (k, e) in errors(all[0]).enumerated() {
                let signs = Set(all.map { errors($0)[k].value.sign })
                XCTAssertEqual(signs.count, 2, "\(family): \(e.what) always has the same sign")
            }
        }
    }

    /// A still MPU-6050 at its limits, x up: the accelerometer reads (1 ± 3%) g ± 50 mg
    /// (plus its temperature drift) on x, and the scale and offset show in |a|.
    func testStillLimitSensorShowsItsOffsetAndScale() throws {
        var config = WearerConfig.sensorErrors(family: .mpu6050, draw: .limit)
        config.misalignmentDegrees = 0...0
        let w = SimulatedWearer(timeline: stillTimeline([]), seed: 3, config: config, sensorCount: 1)
        let s = w.sensorErrors[0]
        let samples = Array(w.makeSamples(rate: 100, from: 2, to: 4))
        let mean = samples.map(\.accel).reduce(.zero, +) / Double(samples.count)
        let trueAccel = Vector3(g, 0, 0)  // x up the spine, standing tall and still
        let expected = s.accelMatrix * trueAccel + s.accelOffset(at: 3)
        XCTAssertEqual(mean.x, expected.x, accuracy: 0.003)
        XCTAssertEqual(mean.y, expected.y, accuracy: 0.003)
        XCTAssertEqual(mean.z, expected.z, accuracy: 0.003)
        XCTAssertEqual(mean.norm - g, expected.norm - g, accuracy: 0.003)
        // At the limits, |a| is off by at least |50 mg − 3% g| − the drift at 18–19 °C.
        XCTAssertGreaterThan(abs(mean.x - g), abs(0.050 * g - 0.03 * g) - 0.0006 * g * 8)
        // With perfect sensors it is g.
        let ideal = SimulatedWearer(timeline: stillTimeline([]), seed: 3, config: .ideal, sensorCount: 1)
        XCTAssertEqual(ideal.sample(sensor: 0, at: 3).accel.norm, g, accuracy: 1e-6)
    }

    /// Every output is a whole number of counts of the configured range (±4 g, ±500 °/s).
    func testOutputsAreQuantisedToTheLSB() {
        let lsb: [SensorFamily: (accel: Double, gyro: Double)] = [
            .mpu6050: (g / 8192, (1 / 65.5).radians), .icm20948: (g / 8192, (1 / 65.5).radians),
            .lsm6ds3: (0.122e-3 * g, 17.5e-3.radians), .bmi160: (g / 8192, (1 / 65.6).radians),
        ]
        for family in SensorFamily.allCases {
            let w = SimulatedWearer(timeline: stillTimeline([]), seed: 5, config: .sensorErrors(family: family, draw: .typical))
            let s = w.sensorErrors[0]
            XCTAssertEqual(s.accelLSB, lsb[family]!.accel, accuracy: 1e-12, "\(family)")
            XCTAssertEqual(s.gyroLSB, lsb[family]!.gyro, accuracy: 1e-12, "\(family)")
            var accelValues = Set<Double>()
            for sample in w.makeSamples(rate: 100, from: 2, to: 3) {
                for (v, step) in [(sample.accel.x, s.accelLSB), (sample.accel.z, s.accelLSB), (sample.gyro.y, s.gyroLSB)] {
                    let counts = v / step
                    XCTAssertEqual(counts, counts.rounded(), accuracy: 1e-6, "\(family): \(v) is not a whole number of LSBs")
                }
                accelValues.insert(sample.accel.y)
            }
            // Noise spans several counts; no value lies between two of them.
            XCTAssertGreaterThan(accelValues.count, 3, "\(family)")
        }
        XCTAssertEqual(SensorErrors.quantise(Vector3(100, -100, 0.4), lsb: 0.001), Vector3(32.767, -32.768, 0.4))
    }

    /// The zero-rate offset follows the warm-up: after it, it has moved by the temperature
    /// coefficient times the rise, measured from the still gyroscope.
    func testZeroRateOffsetDriftsWithTheWarmUp() {
        let w = SimulatedWearer(
            timeline: stillTimeline([PostureSegment(.stand, duration: 4000, fidgetsPerMinute: 0)]), seed: 8,
            config: .sensorErrors(family: .mpu6050, draw: .limit), sensorCount: 1)
        let s = w.sensorErrors[0]
        XCTAssertEqual(w.temperature(sensor: 0, at: 0), 18, accuracy: 1e-9)
        XCTAssertGreaterThan(w.temperature(sensor: 0, at: 1800), 32.8)  // warm within 30 min
        func meanGyro(_ t: Double) -> Vector3 {
            let samples = Array(w.makeSamples(rate: 100, from: t, to: t + 2))
            return samples.map(\.gyro).reduce(.zero, +) / Double(samples.count)
        }
        let change = meanGyro(3600) - meanGyro(1)
        let rise = w.temperature(sensor: 0, at: 3601) - w.temperature(sensor: 0, at: 2)
        XCTAssertGreaterThan(rise, 14.9)
        let expected = s.gyroOffsetPerDegree * rise  // 0.16 °/s/°C × ~15 °C ≈ 2.4 °/s per axis
        for (a, b) in [(change.x, expected.x), (change.y, expected.y), (change.z, expected.z)] {
            XCTAssertEqual(a, b, accuracy: 0.01.radians)
            XCTAssertEqual(abs(a).degrees, 0.16 * 15, accuracy: 0.05, "°/s")
        }
    }

    func testDeterministicAndRandomAccessWithErrors() throws {
        let scenario = try XCTUnwrap(Scenario.named("walk", seed: 12))
        let config = WearerConfig.sensorErrors(family: .icm20948, draw: .limit)
        let a = scenario.makeWearer(config: config), b = scenario.makeWearer(config: config)
        let sa = Array(a.makeSamples(rate: 100, from: 45, to: 55))
        XCTAssertEqual(sa, Array(b.makeSamples(rate: 100, from: 45, to: 55)))
        for i in stride(from: 0, to: sa.count, by: 97) {
            XCTAssertEqual(a.sample(sensor: sa[i].sensor, at: sa[i].t), sa[i])
        }
        let other = scenario.makeWearer(config: .sensorErrors(family: .bmi160, draw: .limit))
        XCTAssertNotEqual(sa, Array(other.makeSamples(rate: 100, from: 45, to: 55)))
        // The chip model draws from its own stream: the mounting does not depend on it.
        XCTAssertEqual(a.mounting, other.mounting)
        XCTAssertEqual(a.mounting, scenario.makeWearer().mounting)
    }
}
