@testable import PostureDaemon
import PostureConfig
import PostureCore
import PostureHardware
import PostureSim
import XCTest

final class SensorSourceTests: XCTestCase {
    func testSimulatedSourcesGoThroughTheRealDrivers() throws {
        let set = SourceFactory.simulated(scenario: Scenario.named("slouch", seed: 3)!, speed: 1, loop: LoopConfiguration())
        XCTAssertEqual(set.sources.count, 2)
        guard case .virtual(let clock) = set.timeBase else { return XCTFail("simulation runs on a virtual clock") }
        let c0 = try set.sources[0].open(), c1 = try set.sources[1].open()
        XCTAssertEqual(c0.rateHz, 100, accuracy: 0.5)
        XCTAssertEqual(c1.rateHz, 104, accuracy: 0.5, "LSM6DS3: nearest ODR to 100 Hz")
        XCTAssertEqual(set.sources[0].description, "sensor 0 (pelvis): MPU-6050 at 0x68 on simulated i2c-1")
        XCTAssertEqual(set.sources[1].description, "sensor 1 (upper lumbar): LSM6DS3 at 0x6a on simulated i2c-1")
        clock.now = 2.0  // standing tall in the scenario: 1 g, as far as the chip's datasheet errors allow
        let r0 = try set.sources[0].read(), r1 = try set.sources[1].read()
        XCTAssertEqual(r0.accel.norm, standardGravity, accuracy: Self.gravityTolerance(SensorFamily.mpu6050.errorModel))
        XCTAssertEqual(r1.accel.norm, standardGravity, accuracy: Self.gravityTolerance(SensorFamily.lsm6ds3.errorModel))
        XCTAssertEqual(try set.sources[0].checkHealth(), .healthy)
    }

    /// How far a still chip within its datasheet may read |a| from g: sensitivity and
    /// cross-axis error (two axes) of g, plus the zero-g offset (all in g), plus a little noise.
    static func gravityTolerance(_ model: SensorErrorModel) -> Double {
        (model.accelScale + 2 * model.accelCrossAxis + model.accelZeroG.norm) * standardGravity + 0.1
    }

    func testSimulatedFIFODrainsTheWatermark() throws {
        let loop = LoopConfiguration(rateHz: 100, pacing: .fifo, fifoWatermarkFrames: 10)
        let set = SourceFactory.simulated(scenario: Scenario.named("slouch", seed: 3)!, speed: 1, loop: loop)
        guard case .virtual(let clock) = set.timeBase else { return XCTFail() }
        try set.sources[0].open()
        clock.now = 0.1
        let frames = UnsafeMutableBufferPointer<IMUReading>.allocate(capacity: 64)
        defer { frames.deallocate() }
        let drain = try set.sources[0].drainFIFO(into: frames)
        XCTAssertEqual(drain.frames, 10, accuracy: 1)
        XCTAssertFalse(drain.overflowed)
    }

    func testOneSensorScenarioMakesOneSource() throws {
        let set = try SourceFactory.simulated(scenarioNamed: "slouch-one-sensor", loop: LoopConfiguration())
        XCTAssertEqual(set.sources.count, 1)
        XCTAssertEqual(set.scenario?.name, "slouch-one-sensor")
    }

    func testUnknownScenarioListsTheNames() {
        XCTAssertThrowsError(try SourceFactory.simulated(scenarioNamed: "nope", loop: LoopConfiguration())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("unknown scenario \"nope\"") && text.contains("workday"), text)
        }
    }

    func testMissingChipIsNamedWithTheAddressesTried() {
        let bus = SimulatedI2CBus(name: "empty bus")
        let source = SimulatedSensorSource(index: 0, bus: bus, address: 0x69, settings: IMUSettings())
        XCTAssertThrowsError(try source.open()) { error in
            guard let e = error as? SensorSourceError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.faultCode, .noChipFound)
            XCTAssertTrue(e.description.contains("0x69") && e.description.contains("nothing answered"), e.description)
        }
        XCTAssertThrowsError(try source.read())
        XCTAssertTrue(source.description.contains("not found yet"))
    }

    func testHardwareSourceReportsAMissingBusClearly() {
        let sensor = SensorConfiguration(bus: .path("/nonexistent/i2c-42"))
        let source = HardwareSensorSource(index: 0, sensor: sensor, settings: IMUSettings())
        XCTAssertThrowsError(try source.open()) { error in
            guard let e = error as? SensorSourceError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.faultCode, .busNotFound)
            XCTAssertTrue(e.description.contains("/nonexistent/i2c-42"), e.description)
        }
        XCTAssertEqual(source.description, "sensor 0 (pelvis): not found yet on /nonexistent/i2c-42")
    }

    func testHardwareFactorySharesABusBetweenAutoSensors() throws {
        let sensors = [
            SensorConfiguration(bus: .number(1), address: .auto),
            SensorConfiguration(bus: .number(1), address: .auto, chip: .lsm6ds3trC),
        ]
        let set = try SourceFactory.hardware(sensors: sensors, loop: LoopConfiguration(pacing: .fifo))
        let s0 = try XCTUnwrap(set.sources[0] as? HardwareSensorSource)
        let s1 = try XCTUnwrap(set.sources[1] as? HardwareSensorSource)
        XCTAssertEqual([s0.autoRank, s1.autoRank], [0, 1])
        XCTAssertEqual(s0.settings.fifoWatermarkFrames, 10)
        let fixed = try SourceFactory.hardware(
            sensors: [SensorConfiguration(address: .auto), SensorConfiguration(address: .fixed(0x69))], loop: LoopConfiguration())
        XCTAssertEqual((fixed.sources[0] as? HardwareSensorSource)?.excludedAddresses, [0x69])
        XCTAssertEqual(HardwareSensorSource.expectedFamily(.lsm6ds3trC), .lsm6ds3)
        XCTAssertNil(HardwareSensorSource.expectedFamily(.auto))
        XCTAssertThrowsError(try SourceFactory.hardware(sensors: [], loop: LoopConfiguration()))
    }

    func testFaultCodesFromErrors() {
        XCTAssertEqual(SensorFaultCode(I2CError(kind: .noAcknowledge, bus: "b", address: 0x68)), .noAcknowledge)
        XCTAssertEqual(SensorFaultCode(IMUError.bus(I2CError(kind: .timeout, bus: "b", address: nil))), .timeout)
        XCTAssertEqual(SensorFaultCode(IMUError.dataFrozen(chip: "c", address: 0x68, identicalReads: 50)), .dataFrozen)
    }

    // MARK: loop helpers

    func testBackoffIsEagerThenCapped() {
        var b = RetryBackoff()
        let ms: Int64 = 1_000_000
        b.start(now: 0)
        XCTAssertTrue(b.isDue(now: 10 * ms))
        b.failed(now: 10 * ms)
        XCTAssertTrue(b.isDue(now: 20 * ms), "every tick during the first 100 ms")
        var now = 120 * ms
        var intervals: [Int64] = []
        for _ in 0..<5 {
            b.failed(now: now)
            intervals.append(b.nextAttemptNanoseconds - now)
            now = b.nextAttemptNanoseconds
        }
        XCTAssertEqual(intervals, [500 * ms, 1000 * ms, 1000 * ms, 1000 * ms, 1000 * ms])
    }

    func testFrameClockContinuesAndStaysIncreasing() {
        var clock = FrameClock()
        let times = UnsafeMutableBufferPointer<Double>.allocate(capacity: 16)
        defer { times.deallocate() }
        clock.stamp(count: 10, drainTime: 1.0, period: 0.01, into: times)
        XCTAssertEqual(times[9], 0.995, accuracy: 1e-9)
        XCTAssertEqual(times[0], 0.905, accuracy: 1e-9)
        // A chip 1 % slow: 10 frames take 0.101 s; the timeline follows without jumps.
        var last = times[9]
        for k in 1...200 {
            clock.stamp(count: 10, drainTime: 1.0 + Double(k) * 0.101, period: 0.01, into: times)
            XCTAssertGreaterThan(times[0], last)
            last = times[9]
        }
        XCTAssertEqual(1.0 + 200 * 0.101 - last, 0.00505, accuracy: 0.002, "locked to the drain times")
        XCTAssertEqual(clock.periodRatio, 1.01, accuracy: 0.001, "the chip's period was learned")
    }

    /// A chip converting every 10 ms, drained every 100 ms, once 30 ms late: each frame's
    /// stamp stays within a period of when it was converted, and none are squeezed together.
    func testALateFIFOWakeKeepsTheFramesOnTheirTimeline() {
        let ms: Int64 = 1_000_000
        let period = 0.01
        var clock = FrameClock()
        let times = UnsafeMutableBufferPointer<Double>.allocate(capacity: 32)
        defer { times.deallocate() }
        var converted = 0  // frames the chip has made so far
        var stamped: [(stamp: Double, truth: Double)] = []
        for wake in 1...40 {
            let deadline = Int64(wake) * 100 * ms
            let woke = deadline + (wake == 20 ? 30 * ms : 200_000)  // 0.2 ms of ordinary lateness
            let made = Int(Double(woke) / 1e9 / period)  // frame n converted at (n + 1) × period
            let count = made - converted
            clock.stamp(count: count, drainTime: LoopRunner.tickTime(deadline: deadline, woke: woke, fifo: true), period: period, into: times)
            for k in 0..<count { stamped.append((times[k], Double(converted + k + 1) * period)) }
            converted = made
        }
        let settled = stamped.dropFirst(20)
        for (a, b) in zip(settled, settled.dropFirst()) {
            XCTAssertGreaterThan(b.stamp - a.stamp, period / 2, "frames at \(a.truth) and \(b.truth) s squeezed together")
        }
        XCTAssertLessThan(settled.map { abs($0.stamp - $0.truth) }.max() ?? 1, period, "every frame within a period of its conversion")
        XCTAssertEqual(LoopRunner.tickTime(deadline: 100 * ms, woke: 130 * ms, fifo: false), 0.1, "a timer tick stands for its deadline")
    }
}
