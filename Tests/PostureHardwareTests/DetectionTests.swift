import PostureCore
import PostureHardware
import PostureSim
import XCTest

/// A device that answers with identity bytes no supported chip has.
final class StrangerChip: SimulatedChip {
    let name = "stranger"
    var isFrozen = false
    func advance(to t: Double) {}
    func readRegister(_ register: UInt8) -> UInt8 { register == 0x0F ? 0x42 : 0x00 }
    func nextRegister(after register: UInt8) -> UInt8 { register &+ 1 }
    func writeRegister(_ register: UInt8, value: UInt8) {}
    func powerOnReset() {}
}

final class DetectionTests: XCTestCase {
    func testFindsTwoDifferentChipsAndNamesAnUnknownOne() throws {
        let bus = SimulatedI2CBus(name: "simulated bus 1")
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: SteadyMotion()), at: 0x68)
        bus.attach(SimulatedLSM6DS(.lsm6dso, motion: SteadyMotion()), at: 0x6A)
        bus.attach(StrangerChip(), at: 0x6B)
        let found = ChipDetector.scan(bus: bus)
        XCTAssertEqual(found.map(\.address), [0x68, 0x6A, 0x6B])
        XCTAssertEqual(found[0].descriptor?.name, "MPU-6050")
        XCTAssertEqual(found[0].family, .mpu6050)
        XCTAssertEqual(found[1].descriptor?.name, "LSM6DSO/LSM6DSOX")
        XCTAssertEqual(found[0].bus, "simulated bus 1")
        guard case .unknown(let u) = found[2].identity else { return XCTFail("\(found[2])") }
        XCTAssertEqual(u.reads.first?.register, 0x0F)
        XCTAssertEqual(u.reads.first?.value, 0x42)
        XCTAssertTrue(u.description.contains("0x42"), u.description)
        XCTAssertTrue(u.description.contains("LSM6DS3 (0x0f = 0x69)"), u.description)
        XCTAssertNil(ChipDetector.driver(for: found[2], bus: bus))
    }

    func testIdentifiesEveryChipFamily() throws {
        for kind in ChipKind.allCases {
            let bus = SimulatedI2CBus()
            bus.attach(kind.makeChip(SteadyMotion()), at: kind.address)
            let found = ChipDetector.scan(bus: bus)
            XCTAssertEqual(found.count, 1, "\(kind)")
            XCTAssertEqual(found.first?.descriptor?.name, kind.descriptorName)
        }
    }

    func testFindsAnICM20948LeftInAnotherBank() throws {
        let bus = SimulatedI2CBus()
        bus.attach(SimulatedICM20948(motion: SteadyMotion()), at: 0x69)
        try bus.write(address: 0x69, register: 0x7F, value: 0x20)  // bank 2, as a crash could leave it
        let found = ChipDetector.scan(bus: bus)
        XCTAssertEqual(found.first?.descriptor?.name, "ICM-20948")
    }

    func testUnreadableAddressIsReportedNotSkipped() throws {
        let bus = SimulatedI2CBus()
        bus.attach(SimulatedBMI160(motion: SteadyMotion()), at: 0x69)
        bus.inject(.ioError, at: 0x69, for: .transactions(10))
        let found = ChipDetector.scan(bus: bus)
        guard case .unreadable(let e)? = found.first?.identity else { return XCTFail("\(found)") }
        XCTAssertEqual(e.kind, .io(errno: 5))
    }

    func testProbeConfiguresSelfTestsAndReadsEachChip() throws {
        let bus = SimulatedI2CBus(name: "/dev/i2c-1 (simulated)")
        bus.attach(SimulatedBMI160(motion: SteadyMotion()), at: 0x69)
        bus.attach(SimulatedLSM6DS(.lsm6ds3trc, motion: SteadyMotion()), at: 0x6B)
        bus.attach(StrangerChip(), at: 0x6A)
        let report = ChipDetector.probe(bus: bus, pause: { bus.sleep($0) })
        XCTAssertEqual(report.entries.count, 3)
        for e in report.entries where e.chip.descriptor != nil {
            XCTAssertNil(e.error, "\(e.chip.address): \(String(describing: e.error))")
            XCTAssertEqual(e.selfTest?.passed, true)
            let a = try XCTUnwrap(e.reading?.accel)
            assertClose(a, Vector3(0, 0, standardGravity), 0.05, "probe reading")
        }
        let text = report.formatted
        XCTAssertTrue(text.contains("60:  "), text)
        XCTAssertTrue(text.contains("-- 69 ?? 6b"), text)
        XCTAssertTrue(text.contains("BMI160"), text)
        XCTAssertTrue(text.contains("LSM6DS3TR-C"), text)
        XCTAssertTrue(text.contains("unknown device: 0x0f = 0x42"), text)
        XCTAssertTrue(text.contains("self-test  pass"), text)
        print(text)
    }

    func testProbeOfAnEmptyBusSaysWhatToCheck() {
        let report = ChipDetector.probe(bus: SimulatedI2CBus(), pause: { _ in })
        XCTAssertTrue(report.entries.isEmpty)
        XCTAssertTrue(report.formatted.contains("no IMU found"), report.formatted)
    }
}
