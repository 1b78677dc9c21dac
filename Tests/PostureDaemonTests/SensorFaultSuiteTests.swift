@testable import PostureDaemon
import PostureCore
import PostureSim
import XCTest

/// Bad data from chips that still answer, and long absences, on the register-level simulated
/// chips through the real loop core: never a crash or a stopped loop, the bad data kept from
/// the engine and counted, no nudge from it, and recovery when the chip is good again. Each
/// test prints what it tried and what survived. (Bus faults, brown-outs, frozen data and a
/// stalled FIFO: `SamplingLoopTests`.)
final class SensorFaultSuiteTests: XCTestCase {
    typealias Harness = SamplingLoopTests.Harness
    var calibration: Calibration!
    let pelvis: UInt8 = 0x68

    override func setUpWithError() throws {
        calibration = try scenarioCalibration(Scenario.named("slouch", seed: 1)!)
    }

    /// A knock: 50 ms at the rails is kept from the engine, sample by sample, and is no fault.
    func testAKnockAtFullScaleIsRejectedNotFaulted() throws {
        for fifo in [false, true] {
            let h = try Harness(calibration: calibration, pacing: fifo ? .fifo : .timer)
            h.run(300, fifo: fifo)
            h.pelvis.bus.corruptData(at: pelvis, .saturated)
            let knock = h.run(5, fifo: fifo)
            h.pelvis.bus.corruptData(at: pelvis, .none)
            let after = h.run(100, fifo: fifo)
            let status = try XCTUnwrap(after.last?.sensors.pelvis)
            XCTAssertEqual(status.faults, 0, "a knock is no fault")
            XCTAssertGreaterThanOrEqual(status.rejectedSamples, 4, "fifo \(fifo)")
            XCTAssertLessThanOrEqual(status.rejectedSamples, 6, "fifo \(fifo): only the clipped readings")
            XCTAssertFalse(knock.contains { $0.step != nil && $0.t > 3.01 && $0.t < 3.04 }, "a clipped reading reached the engine")
            XCTAssertTrue(after.suffix(20).allSatisfy { $0.step != nil })
            print("sensor faults: knock at full scale for 50 ms (\(fifo ? "FIFO" : "timer") pacing): \(status.rejectedSamples) readings rejected, 0 faults, steps again at once")
        }
    }

    /// A chip stuck at its rails: faulted within about a second, once, no step (so no nudge)
    /// from it; back when its readings are in range. The slouch scenario nudges at 90 s on a
    /// good chip: stuck from 60 s to 150 s, it does not.
    func testAChipStuckAtFullScaleIsFaultedOnceAndGivesNoNudge() throws {
        for fifo in [false, true] {
            let reference = try Harness(calibration: calibration, pacing: fifo ? .fifo : .timer)
            let referenceNudges = reference.run(15_000, fifo: fifo).filter { $0.step?.decision.nudge != nil }.map(\.t)
            XCTAssertTrue(referenceNudges.contains { $0 > 60 && $0 < 150 }, "the scenario nudges while the chip will be stuck: \(referenceNudges)")

            let h = try Harness(calibration: calibration, pacing: fifo ? .fifo : .timer)
            h.run(6_000, fifo: fifo)
            h.pelvis.bus.corruptData(at: pelvis, .saturated)
            let stuck = h.run(9_000, fifo: fifo)
            let faulted = try XCTUnwrap(stuck.first { $0.sensors.pelvis.health == .faulted(.stuckAtFullScale) }, "never faulted")
            XCTAssertLessThan(faulted.t - 60, 1.2, "faulted about a second after it stuck")
            // Its identical readings also look frozen, and the periodic check may reset it for
            // that first; once it is known stuck, no more faults however long it stays so.
            XCTAssertLessThanOrEqual(faulted.sensors.pelvis.faults, 3)
            XCTAssertEqual(stuck.last?.sensors.pelvis.faults, faulted.sensors.pelvis.faults, "a storm of faults")
            XCTAssertFalse(stuck.contains { $0.step?.decision.nudge != nil }, "a nudge from a stuck chip")
            XCTAssertFalse(stuck.contains { $0.step != nil && $0.t > 60.02 }, "a step from a stuck chip")
            h.pelvis.bus.corruptData(at: pelvis, .none)
            let back = h.run(300, fifo: fifo)
            XCTAssertTrue(back.contains { $0.sensors.pelvis.health == .recovered(.resumed) }, "did not come back")
            XCTAssertTrue(back.suffix(20).allSatisfy { $0.step != nil })
            print("sensor faults: chip stuck at full scale for 90 s (\(fifo ? "FIFO" : "timer") pacing): stuck_at_full_scale after \(String(format: "%.2f", faulted.t - 60)) s, \(faulted.sensors.pelvis.faults) fault(s) in all (frozen-data resets first), 0 steps and 0 nudges while stuck (\(referenceNudges.filter { $0 > 60 && $0 < 150 }.count) on a good chip), resumed within \(back.firstIndex { $0.sensors.pelvis.health == .recovered(.resumed) } ?? -1) ticks")
        }
    }

    /// Gyro spikes (10 rad/s for one sample in 50): each would turn the estimate by 5.7°; kept
    /// from the engine, the tilt stays with that of a clean chip.
    func testGyroSpikesAreRejectedAndTheTiltStaysTrue() throws {
        let clean = try Harness(calibration: calibration)
        let cleanTilt = clean.run(12_000).map { $0.step?.angles.pelvicTilt }
        let h = try Harness(calibration: calibration)
        h.run(2_000)
        h.pelvis.bus.corruptData(at: pelvis, .gyroSpikes(every: 50, gyro: Vector3(0, 10, 0)))
        h.run(10_000)
        let spiked = h.reports.map { $0.step?.angles.pelvicTilt }
        var worst = 0.0
        for (a, b) in zip(cleanTilt, spiked) { if let a, let b { worst = max(worst, abs(a - b)) } }
        let status = try XCTUnwrap(h.reports.last?.sensors.pelvis)
        XCTAssertGreaterThanOrEqual(status.rejectedSamples, 190, "one in 50 of 10 000 readings")
        XCTAssertLessThanOrEqual(status.rejectedSamples, 210)
        XCTAssertEqual(status.faults, 0)
        XCTAssertLessThan(worst, 1.0, "spikes moved the tilt")
        print("sensor faults: gyro spikes of 10 rad/s, 1 reading in 50 for 100 s: \(status.rejectedSamples) rejected, 0 faults, pelvic tilt within \(String(format: "%.2f", worst))° of a clean chip's")
    }

    /// Missed conversions (one in 10) on the pelvis chip: no fault, no crash, steps go on.
    func testMissedConversionsAreNoFault() throws {
        let h = try Harness(calibration: calibration)
        h.run(200)
        h.pelvis.bus.corruptData(at: pelvis, .droppedConversions(every: 10))
        let r = h.run(3_000)
        XCTAssertEqual(r.last?.sensors.pelvis.faults, 0)
        let steps = r.filter { $0.step != nil }.count
        XCTAssertGreaterThan(steps, 2_900, "the loop delivers through missed conversions")
        print("sensor faults: 1 conversion in 10 missed for 30 s: \(steps) of 3000 ticks stepped, 0 faults")
    }

    /// A chip gone for 10 minutes (unplugged), then back: one fault for the whole absence,
    /// retries capped at 1 s, no step meanwhile, and it is found and reconfigured.
    func testAChipGoneForTenMinutesComesBack() throws {
        let h = try Harness(calibration: calibration)
        h.run(100)
        h.pelvis.bus.disconnect(at: pelvis, from: 1.005, until: 601)
        let gone = h.run(60_000)
        XCTAssertEqual(gone.last?.sensors.pelvis.faults, 1, "one fault, however long")
        XCTAssertFalse(gone.contains { $0.step != nil && $0.t > 1.02 && $0.t < 600.9 })
        let back = h.run(200)
        let recovered = try XCTUnwrap(back.first { if case .recovered = $0.sensors.pelvis.health { true } else { false } }, "not back")
        XCTAssertLessThan(recovered.t - 601, 1.1, "found within the 1 s back-off cap")
        XCTAssertTrue(back.suffix(20).allSatisfy { $0.step != nil })
        print("sensor faults: chip gone for 10 min: 1 fault, 0 steps while gone, back \(String(format: "%.2f", recovered.t - 601)) s after it returned (\(recovered.sensors.pelvis.health))")
    }

    /// Bursts of I2C errors, 30 of them a few seconds apart: each a fault and a recovery, the
    /// loop never stops and delivers between them.
    func testRepeatedBurstsOfBusErrorsAreEachSurvived() throws {
        let h = try Harness(calibration: calibration)
        h.run(100)
        for _ in 0..<30 {
            h.pelvis.bus.inject(.ioError, at: pelvis, for: .transactions(5))
            h.run(300)
        }
        let status = try XCTUnwrap(h.reports.last?.sensors.pelvis)
        XCTAssertEqual(status.faults, 30)
        XCTAssertEqual(status.recoveries, 30)
        XCTAssertEqual(h.reports.last?.sensors.pelvis.health, .ok)
        print("sensor faults: 30 bursts of 5 I2C errors: \(status.faults) faults, \(status.recoveries) recoveries, delivering at the end")
    }
}
