import PostureCore
import PostureHardware
import PostureSim
import XCTest

/// Configuration writes land in the registers the datasheets name, with the right fields.
/// Default settings: 100 Hz, ±4 g, ±500 °/s, 20 Hz low-pass.
final class RegisterMapDriverTests: XCTestCase {
    func testMPU6050Registers() throws {
        let rig = try Rig(.mpu6050)
        try rig.start()
        XCTAssertEqual(rig.chip.peek(0x19), 9, "SMPLRT_DIV: 1 kHz / (1 + 9) = 100 Hz")
        XCTAssertEqual(rig.chip.peek(0x1A), 4, "CONFIG DLPF_CFG 4: 20 Hz gyro / 21 Hz accel")
        XCTAssertEqual(rig.chip.peek(0x1B), 0x08, "GYRO_CONFIG FS_SEL 1: ±500 °/s")
        XCTAssertEqual(rig.chip.peek(0x1C), 0x08, "ACCEL_CONFIG AFS_SEL 1: ±4 g")
        XCTAssertEqual(rig.chip.peek(0x37), 0x10, "INT_PIN_CFG: active high, push-pull, pulse, any-read clear")
        XCTAssertEqual(rig.chip.peek(0x38), 0x01, "INT_ENABLE DATA_RDY_EN")
        XCTAssertEqual(rig.chip.peek(0x6B), 0x01, "PWR_MGMT_1 awake on the gyro PLL")
    }

    func testMPU6500HasSeparateAccelFilter() throws {
        let rig = try Rig(.mpu6500)
        try rig.start(IMUSettings(lowPassHz: 41, fifoWatermarkFrames: 5))
        XCTAssertEqual(rig.chip.peek(0x1A), 3, "CONFIG DLPF_CFG 3: 41 Hz")
        XCTAssertEqual(rig.chip.peek(0x1D), 3, "ACCEL_CONFIG2 A_DLPF_CFG 3")
        XCTAssertEqual(rig.chip.peek(0x23), 0x78, "FIFO_EN: gyro XYZ + accel")
        XCTAssertEqual(rig.chip.peek(0x6A), 0x40, "USER_CTRL FIFO_EN")
    }

    func testICM20948BankedRegisters() throws {
        let rig = try Rig(.icm20948)
        try rig.start()
        XCTAssertEqual(rig.chip.peek(256 + 0x00), 10, "GYRO_SMPLRT_DIV: 1125 / 11 = 102 Hz")
        XCTAssertEqual(rig.chip.peek(256 + 0x11), 10, "ACCEL_SMPLRT_DIV_2")
        XCTAssertEqual(rig.chip.peek(256 + 0x01), 4 << 3 | 1 << 1 | 1, "GYRO_CONFIG_1: DLPF 4, ±500, FCHOICE")
        XCTAssertEqual(rig.chip.peek(256 + 0x14), 4 << 3 | 1 << 1 | 1, "ACCEL_CONFIG: DLPF 4, ±4 g, FCHOICE")
        XCTAssertEqual(rig.chip.peek(0x11), 0x01, "INT_ENABLE_1 RAW_DATA_0_RDY_EN")
        XCTAssertEqual(try rig.bus.readByte(address: 0x68, register: 0x7F), 0, "left in bank 0 for the sampling path")
        XCTAssertEqual(rig.driver.configuration?.rateHz ?? 0, 1125.0 / 11, accuracy: 1e-9)
    }

    func testLSM6DSORegisters() throws {
        let rig = try Rig(.lsm6dso)
        try rig.start()
        XCTAssertEqual(rig.chip.peek(0x10), 0x4A, "CTRL1_XL: 104 Hz, FS 10 (±4 g), LPF2_XL_EN")
        XCTAssertEqual(rig.chip.peek(0x17), 0x00, "CTRL8_XL HPCF_XL 000: ODR/4")
        XCTAssertEqual(rig.chip.peek(0x11), 0x44, "CTRL2_G: 104 Hz, ±500 °/s")
        XCTAssertEqual(rig.chip.peek(0x12), 0x44, "CTRL3_C: BDU, IF_INC")
        XCTAssertEqual(rig.chip.peek(0x0D), 0x02, "INT1_CTRL INT1_DRDY_G")
        XCTAssertEqual(rig.chip.peek(0x0B), 0x80, "COUNTER_BDR_REG1 dataready_pulsed")
    }

    func testLSM6DS3RegistersAndFIFOPatternRealignment() throws {
        let rig = try Rig(.lsm6ds3)
        try rig.start(IMUSettings(fifoWatermarkFrames: 4))
        XCTAssertEqual(rig.chip.peek(0x10), 0x4B, "CTRL1_XL: 104 Hz, ±4 g, BW_XL 50 Hz")
        XCTAssertEqual(rig.chip.peek(0x13), 0x80, "CTRL4_C XL_BW_SCAL_ODR")
        XCTAssertEqual(rig.chip.peek(0x06), 24, "FIFO_CTRL1: 4 frames × 6 words")
        XCTAssertEqual(rig.chip.peek(0x0A), 4 << 3 | 6, "FIFO_CTRL5: ODR_FIFO 104 Hz, continuous")
        XCTAssertEqual(rig.chip.peek(0x0D), 0x08, "INT1_CTRL INT1_FTH")
        rig.motion.gyro = Vector3(0.5, 0.25, -0.75)
        var frames = [IMUReading](repeating: .zero, count: 32)
        _ = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
        rig.bus.advance(by: 0.1)
        // Someone read one word behind the driver's back: the pattern is now mid-frame.
        var word = [UInt8](repeating: 0, count: 2)
        try word.withUnsafeMutableBytes { try rig.bus.read(address: 0x6A, register: 0x3E, into: $0) }
        let d = try frames.withUnsafeMutableBufferPointer { try rig.driver.readFIFO(into: $0) }
        XCTAssertGreaterThan(d.frames, 5)
        for f in frames.prefix(d.frames) {
            assertClose(f.accel, Vector3(0, 0, standardGravity), 0.05, "realigned accel")
            assertClose(f.gyro, Vector3(0.5, 0.25, -0.75), 0.005, "realigned gyro")
        }
    }

    func testBMI160Registers() throws {
        let rig = try Rig(.bmi160)
        try rig.start()
        XCTAssertEqual(rig.chip.peek(0x03), 0x14, "PMU_STATUS: accel and gyro normal")
        XCTAssertEqual(rig.chip.peek(0x40), 0x18, "ACC_CONF: OSR2 (20.8 Hz), 100 Hz")
        XCTAssertEqual(rig.chip.peek(0x41), 0x05, "ACC_RANGE ±4 g")
        XCTAssertEqual(rig.chip.peek(0x42), 0x18, "GYR_CONF: OSR2, 100 Hz")
        XCTAssertEqual(rig.chip.peek(0x43), 0x02, "GYR_RANGE ±500 °/s")
        XCTAssertEqual(rig.chip.peek(0x51), 0x10, "INT_EN_1 int_drdy_en")
        XCTAssertEqual(rig.chip.peek(0x53), 0x0A, "INT_OUT_CTRL: INT1 output, active high, push-pull")
        XCTAssertEqual(rig.chip.peek(0x56), 0x80, "INT_MAP_1 int1_drdy")
    }
}
