/// The chip families that share one register map (and so one driver).
public enum ChipFamily: String, Sendable, Hashable, CaseIterable {
    /// MPU-6050: the original register map (factory trim in 0x0D–0x10, one shared DLPF).
    case mpu6050
    /// MPU-6500 and MPU-9250 (its accel/gyro die): separate accel DLPF, OTP self-test codes.
    case mpu6500
    /// ICM-20948: banked registers (REG_BANK_SEL 0x7F), 1.125 kHz base rate.
    case icm20948
    /// LSM6DS3 and LSM6DS3TR-C: untagged FIFO in a gyro-then-accel pattern.
    case lsm6ds3
    /// LSM6DSO/LSM6DSOX: tagged FIFO, LPF2 divider table.
    case lsm6dso
    /// Bosch BMI160: CMD register power modes, byte-counted FIFO.
    case bmi160
}

/// A full-scale option: the range, its register code, and the sensitivity.
public struct RangeOption: Sendable, Hashable {
    /// ± g or ± °/s.
    public var fullScale: Double
    /// The value of the chip's FS field (already positioned by the driver).
    public var code: UInt8
    /// Counts per g or per °/s.
    public var countsPerUnit: Double
}

/// How a chip is recognised and scaled; one row per chip in `ChipDescriptor.all`.
/// Register maps and bit fields live with each family's driver.
public struct ChipDescriptor: Sendable, Hashable, CustomStringConvertible {
    public enum ByteOrder: Sendable, Hashable { case bigEndian, littleEndian }

    public var name: String
    public var family: ChipFamily
    /// Where the identity byte lives and what it must hold.
    public var identityRegister: UInt8
    public var identityValue: UInt8
    /// The 7-bit I2C addresses the chip can strap to.
    public var addresses: [UInt8]
    public var byteOrder: ByteOrder
    /// The register order of the six axes in the data burst, e.g. "accel, temp, gyro".
    public var burstLayout: String
    public var accelRanges: [RangeOption]
    public var gyroRanges: [RangeOption]
    /// FIFO size in bytes.
    public var fifoBytes: Int

    public var description: String { name }

    /// Every supported chip. Detection tries them in this order per identity register;
    /// InvenSense's 0x75 first because on the other chips' maps 0x0F and 0x00 can hold
    /// data or trim bytes that might collide by chance.
    public static let all: [ChipDescriptor] = [
        MPU6xxx.mpu6050, MPU6xxx.mpu6500, MPU6xxx.mpu9250,
        ICM20948.descriptor,
        LSM6DS.lsm6ds3, LSM6DS.lsm6ds3trc, LSM6DS.lsm6dso,
        BMI160.descriptor,
    ]
}

/// InvenSense and Bosch accelerometers share the 16-bit 2/4/8/16 g scaling.
let invensenseAccelCountsPerG: [Double] = [16384, 8192, 4096, 2048]

extension ChipFamily {
    /// The driver for a chip of this family.
    public func makeDriver(
        descriptor: ChipDescriptor, bus: any I2CBus, address: UInt8, pause: @escaping IMUPause = realPause
    ) -> any IMUDriver {
        switch self {
        case .mpu6050, .mpu6500: return MPU6xxxDriver(descriptor: descriptor, bus: bus, address: address, pause: pause)
        case .icm20948: return ICM20948Driver(descriptor: descriptor, bus: bus, address: address, pause: pause)
        case .lsm6ds3, .lsm6dso: return LSM6DSDriver(descriptor: descriptor, bus: bus, address: address, pause: pause)
        case .bmi160: return BMI160Driver(descriptor: descriptor, bus: bus, address: address, pause: pause)
        }
    }
}
