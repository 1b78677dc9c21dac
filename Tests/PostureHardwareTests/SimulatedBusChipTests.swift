import PostureCore
import PostureHardware
import PostureSim
import XCTest

/// Every supported chip, each with its simulated counterpart and the address it straps to.
enum ChipKind: String, CaseIterable {
    case mpu6050, mpu6500, mpu9250, icm20948, lsm6ds3, lsm6ds3trc, lsm6dso, bmi160

    var descriptorName: String {
        switch self {
        case .mpu6050: return "MPU-6050"
        case .mpu6500: return "MPU-6500"
        case .mpu9250: return "MPU-9250"
        case .icm20948: return "ICM-20948"
        case .lsm6ds3: return "LSM6DS3"
        case .lsm6ds3trc: return "LSM6DS3TR-C"
        case .lsm6dso: return "LSM6DSO/LSM6DSOX"
        case .bmi160: return "BMI160"
        }
    }
    var address: UInt8 { [.lsm6ds3, .lsm6ds3trc, .lsm6dso].contains(self) ? 0x6A : 0x68 }

    func makeChip(_ motion: any MotionSource) -> SimulatedRegisterChip {
        switch self {
        case .mpu6050: return SimulatedMPU6xxx(.mpu6050, motion: motion)
        case .mpu6500: return SimulatedMPU6xxx(.mpu6500, motion: motion)
        case .mpu9250: return SimulatedMPU6xxx(.mpu9250, motion: motion)
        case .icm20948: return SimulatedICM20948(motion: motion)
        case .lsm6ds3: return SimulatedLSM6DS(.lsm6ds3, motion: motion)
        case .lsm6ds3trc: return SimulatedLSM6DS(.lsm6ds3trc, motion: motion)
        case .lsm6dso: return SimulatedLSM6DS(.lsm6dso, motion: motion)
        case .bmi160: return SimulatedBMI160(motion: motion)
        }
    }
}

/// A simulated bus with one chip and its driver; driver waits advance simulated time.
final class Rig {
    let kind: ChipKind
    let bus = SimulatedI2CBus()
    let motion = SteadyMotion()
    let chip: SimulatedRegisterChip
    let driver: any IMUDriver

    init(_ kind: ChipKind) throws {
        self.kind = kind
        chip = kind.makeChip(motion)
        bus.attach(chip, at: kind.address)
        let d = try XCTUnwrap(ChipDescriptor.all.first { $0.name == kind.descriptorName })
        let bus = self.bus
        driver = d.family.makeDriver(descriptor: d, bus: bus, address: kind.address, pause: { bus.sleep($0) })
    }

    /// Configures and lets a few samples convert.
    @discardableResult
    func start(_ settings: IMUSettings = IMUSettings()) throws -> IMUConfiguration {
        let c = try driver.configure(settings)
        bus.advance(by: 0.05)
        return c
    }

    func read() throws -> IMUReading {
        bus.advance(by: 0.011)
        return try driver.read()
    }
}

func assertClose(_ a: Vector3, _ b: Vector3, _ tol: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.x, b.x, accuracy: tol, "\(what) x", file: file, line: line)
    XCTAssertEqual(a.y, b.y, accuracy: tol, "\(what) y", file: file, line: line)
    XCTAssertEqual(a.z, b.z, accuracy: tol, "\(what) z", file: file, line: line)
}

/// The simulated bus and chips themselves: faults, clock, FIFO mechanics.
final class SimulatedBusChipTests: XCTestCase {
    func testFaultSpansAreCountedAndTimed() throws {
        let bus = SimulatedI2CBus()
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: SteadyMotion()), at: 0x68)
        bus.inject(.noAcknowledge, at: 0x68, for: .transactions(2))
        for _ in 0..<2 {
            XCTAssertThrowsError(try bus.readByte(address: 0x68, register: 0x75)) { e in
                XCTAssertEqual((e as? I2CError)?.kind, .noAcknowledge)
            }
        }
        XCTAssertEqual(try bus.readByte(address: 0x68, register: 0x75), 0x68)
        bus.inject(.ioError, at: 0x68, for: .interval(from: 1, until: 2))
        bus.advance(to: 1.5)
        XCTAssertThrowsError(try bus.readByte(address: 0x68, register: 0x75)) { e in
            XCTAssertEqual((e as? I2CError)?.kind, .io(errno: 5))
        }
        bus.advance(to: 2)
        XCTAssertEqual(try bus.readByte(address: 0x68, register: 0x75), 0x68)
        bus.inject(.stall, at: 0x68, for: .transactions(1))
        XCTAssertThrowsError(try bus.readByte(address: 0x68, register: 0x75)) { e in
            XCTAssertEqual((e as? I2CError)?.kind, .timeout)
        }
        XCTAssertEqual(bus.now, 2 + bus.stallSeconds, accuracy: 1e-9, "a stall costs simulated time")
        // A lost reply: the chip saw the read (INT_STATUS clears on read), the caller saw a timeout.
        try bus.write(address: 0x68, register: 0x6B, value: 0x01)  // wake: DATA_RDY sets
        bus.advance(by: 0.1)
        bus.inject(.replyLost, at: 0x68, for: .transactions(1))
        XCTAssertThrowsError(try bus.readByte(address: 0x68, register: 0x3A)) { e in
            XCTAssertEqual((e as? I2CError)?.kind, .timeout)
        }
        XCTAssertEqual(try bus.readByte(address: 0x68, register: 0x3A), 0, "the lost read cleared the status")
        // Nothing at 0x69.
        XCTAssertThrowsError(try bus.readByte(address: 0x69, register: 0x75))
    }

    func testChipConvertsAtConfiguredRateOnly() throws {
        let rig = try Rig(.mpu6050)
        // Power-on: asleep, data registers stay zero however long we wait.
        rig.bus.advance(to: 1)
        var raw = [UInt8](repeating: 0xAA, count: 6)
        try raw.withUnsafeMutableBytes { try rig.bus.read(address: 0x68, register: 0x3B, into: $0) }
        XCTAssertEqual(raw, [0, 0, 0, 0, 0, 0])
        try rig.start()
        try raw.withUnsafeMutableBytes { try rig.bus.read(address: 0x68, register: 0x3B, into: $0) }
        // ±4 g → 8192 counts/g on z, big-endian, ±1 count of noise.
        let z = Int16(bitPattern: UInt16(raw[4]) << 8 | UInt16(raw[5]))
        XCTAssertEqual(Double(z), 8192, accuracy: 2)
    }

    func testDeterministic() throws {
        func run() throws -> [IMUReading] {
            let rig = try Rig(.lsm6dso)
            rig.motion.gyro = Vector3(0.1, -0.2, 0.3)
            try rig.start()
            return try (0..<20).map { _ in try rig.read() }
        }
        XCTAssertEqual(try run(), try run())
    }
}
