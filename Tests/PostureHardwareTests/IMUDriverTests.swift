import PostureCore
import PostureHardware
import PostureSim
import XCTest

/// Every driver against its simulated chip: the behaviour the daemon relies on.
final class IMUDriverTests: XCTestCase {
    func testFlatChipReadsPlusGravityOnZ() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start()
            let r = try rig.read()
            assertClose(r.accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) accel")
            assertClose(r.gyro, .zero, 0.005, "\(kind) gyro")
        }
    }

    func testAxisSignsAndEveryAccelRange() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            for range in [2.0, 4, 8, 16] {
                let c = try rig.start(IMUSettings(accelRangeG: range))
                XCTAssertEqual(c.accelRangeG, range, "\(kind)")
                // Distinct values per axis catch swapped or sign-flipped axes.
                rig.motion.accel = Vector3(-3.0, 5.0, -7.5)
                let r = try rig.read()
                assertClose(r.accel, Vector3(-3, 5, -7.5), 0.05, "\(kind) ±\(range) g")
            }
        }
    }

    func testRotationAboutZReadsPositiveGz() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            for range in [250.0, 500, 1000, 2000] {
                try rig.start(IMUSettings(gyroRangeDPS: range))
                rig.motion.gyro = Vector3(0, 0, 1.2)
                var r = try rig.read()
                assertClose(r.gyro, Vector3(0, 0, 1.2), 0.01, "\(kind) ±\(range) °/s")
                rig.motion.gyro = Vector3(0.4, -0.6, -0.2)
                r = try rig.read()
                assertClose(r.gyro, Vector3(0.4, -0.6, -0.2), 0.01, "\(kind) ±\(range) °/s")
                rig.motion.gyro = .zero
            }
        }
    }

    func testConfigurationPicksNearestSupported() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            let c = try rig.start(IMUSettings(rateHz: 100, accelRangeG: 5, gyroRangeDPS: 600, lowPassHz: 20))
            XCTAssertEqual(c.rateHz, 100, accuracy: 5, "\(kind)")
            XCTAssertEqual(c.accelRangeG, 4, "\(kind)")
            XCTAssertEqual(c.gyroRangeDPS, 500, "\(kind)")
            // The LSM6DS3's accel filter is the analog anti-aliasing one: 50 Hz at the least.
            if let lpf = c.accelLowPassHz { XCTAssertEqual(lpf, kind == .lsm6ds3 ? 50 : 20, accuracy: 12, "\(kind)") }
            XCTAssertFalse(c.summary.isEmpty)
        }
        let rig = try Rig(.mpu6050)
        XCTAssertThrowsError(try rig.driver.configure(IMUSettings(rateHz: .nan))) { e in
            guard case .invalidSettings = e as? IMUError else { return XCTFail("\(e)") }
        }
    }

    func testFIFOFramesEqualDirectReadings() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            let c = try rig.start(IMUSettings(fifoWatermarkFrames: 8))
            XCTAssertEqual(c.fifoWatermarkFrames, 8, "\(kind)")
            rig.motion.accel = Vector3(1.5, -2.5, 9.0)
            rig.motion.gyro = Vector3(0.1, -0.2, 0.3)
            var frames = [IMUReading](repeating: .zero, count: 64)
            // Drop what was batched before the motion changed.
            _ = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            rig.bus.advance(by: 0.1)
            let direct = try rig.driver.read()
            let drain = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            XCTAssertFalse(drain.overflowed, "\(kind)")
            XCTAssertGreaterThanOrEqual(drain.frames, 9, "\(kind): about 10 frames in 0.1 s")
            XCTAssertLessThanOrEqual(drain.frames, 11, "\(kind)")
            for f in frames.prefix(drain.frames) {
                assertClose(f.accel, direct.accel, 0.01, "\(kind) FIFO accel")
                assertClose(f.gyro, direct.gyro, 0.001, "\(kind) FIFO gyro")
            }
            // Drained: nothing left.
            let again = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            XCTAssertEqual(again.frames, 0, "\(kind)")
        }
    }

    func testFIFOFollowsChangingMotionInOrder() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            let c = try rig.start(IMUSettings(rateHz: 100, fifoWatermarkFrames: 10))
            var frames = [IMUReading](repeating: .zero, count: 128)
            _ = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            let t0 = rig.bus.now
            // A slow ramp on gz: consecutive frames must increase, one ODR period apart.
            rig.chip.motion = ClosureMotion { t in (Vector3(0, 0, standardGravity), Vector3(0, 0, (t - t0) * 2)) }
            rig.bus.advance(by: 0.2)
            let drain = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            XCTAssertGreaterThan(drain.frames, 15, "\(kind)")
            for i in 1..<drain.frames {
                XCTAssertEqual(frames[i].gyro.z - frames[i - 1].gyro.z, 2 / c.rateHz, accuracy: 0.002, "\(kind) frame \(i)")
            }
        }
    }

    func testBrownOutIsNoticedAndRepaired() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start()
            XCTAssertEqual(try rig.driver.checkHealth(), .healthy, "\(kind)")
            rig.bus.brownOut(at: kind.address)
            XCTAssertThrowsError(try rig.driver.checkHealth(reconfigure: false), "\(kind)") { e in
                guard case .chipReset = e as? IMUError else { return XCTFail("\(kind): \(e)") }
            }
            XCTAssertEqual(try rig.driver.checkHealth(), .reconfiguredAfterReset, "\(kind)")
            rig.bus.advance(by: 0.05)
            assertClose(try rig.read().accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after recovery")
            XCTAssertEqual(try rig.driver.checkHealth(), .healthy, "\(kind)")
        }
    }

    func testFrozenDataIsReportedAndRepaired() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start()
            _ = try rig.read()
            rig.bus.freezeData(at: kind.address)
            var frozenError: IMUError?
            for _ in 0..<100 {
                do { _ = try rig.read() } catch {
                    frozenError = error as? IMUError
                    break
                }
            }
            guard case .dataFrozen(_, _, let n)? = frozenError else { return XCTFail("\(kind): \(String(describing: frozenError))") }
            XCTAssertGreaterThanOrEqual(n, 50)
            rig.bus.freezeData(at: kind.address, false)
            XCTAssertEqual(try rig.driver.checkHealth(), .reconfiguredAfterFrozenData, "\(kind)")
            rig.bus.advance(by: 0.05)
            for _ in 0..<100 { _ = try rig.read() }  // no false alarm on live data
            assertClose(try rig.read().accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after recovery")
        }
    }

    func testBusFaultsGiveTypedErrorsAndTheDriverRecovers() throws {
        let faults: [(SimulatedI2CBus.Fault, I2CError.Kind)] = [
            (.noAcknowledge, .noAcknowledge), (.ioError, .io(errno: 5)), (.stall, .timeout),
        ]
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start()
            for (fault, expected) in faults {
                rig.bus.inject(fault, at: kind.address, for: .transactions(3))
                for _ in 0..<3 {
                    XCTAssertThrowsError(try rig.read(), "\(kind) \(fault)") { e in
                        guard case .bus(let b) = e as? IMUError else { return XCTFail("\(kind): \(e)") }
                        XCTAssertEqual(b.kind, expected, "\(kind)")
                        XCTAssertEqual(b.address, kind.address)
                    }
                }
                assertClose(try rig.read().accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after \(fault)")
                XCTAssertEqual(try rig.driver.checkHealth(), .healthy, "\(kind) after \(fault)")
            }
        }
    }

    func testChipThatDisappearsAndComesBack() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start()
            let t = rig.bus.now
            rig.bus.disconnect(at: kind.address, from: t, until: t + 0.5)
            XCTAssertThrowsError(try rig.read()) { e in
                guard case .bus(let b) = e as? IMUError, b.kind == .noAcknowledge else { return XCTFail("\(kind): \(e)") }
            }
            XCTAssertThrowsError(try rig.driver.checkHealth(), "\(kind): still gone")
            rig.bus.advance(to: t + 0.6)
            // Back, but powered on afresh: the health check notices and reconfigures.
            XCTAssertEqual(try rig.driver.checkHealth(), .reconfiguredAfterReset, "\(kind)")
            rig.bus.advance(by: 0.05)
            assertClose(try rig.read().accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after return")
        }
    }

    func testSelfTestPassesOnHealthyChipAndFailsWhenSabotaged() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            let settings = IMUSettings(rateHz: 100, accelRangeG: 4, gyroRangeDPS: 500)
            let before = try rig.start(settings)
            let healthy = try rig.driver.selfTest()
            XCTAssertTrue(healthy.passed, "\(kind): \(healthy.description)")
            XCTAssertNotNil(healthy.accelResponse)
            // The previous configuration is restored.
            XCTAssertEqual(rig.driver.configuration, before, "\(kind)")
            rig.bus.advance(by: 0.05)
            assertClose(try rig.read().accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after self-test")

            rig.chip.selfTestScale = 0.2
            let sick = try rig.driver.selfTest()
            XCTAssertFalse(sick.passed, "\(kind): \(sick.description)")
            XCTAssertFalse(sick.failures.isEmpty)
        }
    }

    func testReadBeforeConfigureIsAnError() throws {
        let rig = try Rig(.bmi160)
        XCTAssertThrowsError(try rig.driver.read()) { e in
            guard case .notConfigured = e as? IMUError else { return XCTFail("\(e)") }
        }
    }

    func testFIFOOverflowIsReportedAndDrainingResumes() throws {
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            try rig.start(IMUSettings(rateHz: 100, fifoWatermarkFrames: 10))
            var frames = [IMUReading](repeating: .zero, count: 1024)
            rig.bus.advance(by: 120)  // far more than any of these FIFOs holds
            var overflowed = false
            for _ in 0..<3 {  // the tagged/frame-dropping FIFOs report it alongside data
                let d = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
                overflowed = overflowed || d.overflowed
                for f in frames.prefix(d.frames) { assertClose(f.accel, Vector3(0, 0, standardGravity), 0.05, "\(kind)") }
            }
            XCTAssertTrue(overflowed, "\(kind)")
            rig.bus.advance(by: 0.1)
            let d = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            XCTAssertFalse(d.overflowed, "\(kind)")
            XCTAssertGreaterThan(d.frames, 5, "\(kind)")
            for f in frames.prefix(d.frames) { assertClose(f.accel, Vector3(0, 0, standardGravity), 0.05, "\(kind) after overflow") }
        }
    }

    /// The overflow flag of the InvenSense chips clears when read. If the reply to that read
    /// is lost (a bridge timed out) the flag is gone, but the FIFO is still full and, for the
    /// byte FIFOs, misaligned: no drain may hand out frames read across frame boundaries.
    func testOverflowWhoseStatusReplyWasLostNeverYieldsMisalignedFrames() throws {
        let accel = Vector3(1.5, -2.5, 9.0), gyro = Vector3(0.1, -0.2, 0.3)  // distinct axes: a shift shows
        for kind in ChipKind.allCases {
            let rig = try Rig(kind)
            rig.motion.accel = accel
            rig.motion.gyro = gyro
            try rig.start(IMUSettings(rateHz: 100, fifoWatermarkFrames: 10))
            var frames = [IMUReading](repeating: .zero, count: 64)
            rig.bus.advance(by: 120)  // far more than any of these FIFOs holds
            rig.bus.inject(.replyLost, at: kind.address, for: .transactions(1))
            XCTAssertThrowsError(try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }, "\(kind)")
            var overflowed = false, good = 0
            for _ in 0..<4 {
                let d = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
                overflowed = overflowed || d.overflowed
                for f in frames.prefix(d.frames) {
                    assertClose(f.accel, accel, 0.05, "\(kind) accel")
                    assertClose(f.gyro, gyro, 0.01, "\(kind) gyro")
                }
                good += d.frames
                rig.bus.advance(by: 0.1)
            }
            // The tagged (LSM6DSO) and frame-dropping (BMI160) FIFOs stay aligned, and their
            // flag may go with the lost reply; the others must notice and re-align.
            if ![ChipKind.lsm6dso, .bmi160].contains(kind) { XCTAssertTrue(overflowed, "\(kind): the loss is reported") }
            XCTAssertGreaterThan(good, 10, "\(kind): frames flow again")
        }
    }

    /// The largest watermark leaves the InvenSense byte FIFOs clear of their overflow margin,
    /// so a drain one wake late is never mistaken for an overflow.
    func testLargestWatermarkDrainsWithoutFalseOverflow() throws {
        for kind in [ChipKind.mpu6050, .mpu6500, .mpu9250, .icm20948] {
            let rig = try Rig(kind)
            let c = try rig.start(IMUSettings(rateHz: 100, fifoWatermarkFrames: 1000))
            let watermark = try XCTUnwrap(c.fifoWatermarkFrames, "\(kind)")
            var frames = [IMUReading](repeating: .zero, count: 1024)
            _ = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
            for _ in 0..<5 {
                rig.bus.advance(by: 2 * Double(watermark) / c.rateHz)  // one wake late
                let d = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
                XCTAssertFalse(d.overflowed, "\(kind) watermark \(watermark)")
                XCTAssertGreaterThanOrEqual(d.frames, 2 * watermark - 2, "\(kind) watermark \(watermark)")
            }
        }
    }
}
