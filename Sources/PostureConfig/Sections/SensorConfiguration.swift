public import PostureCore

/// One `[[sensor]]`: where an IMU is, what it is, and how it is mounted. The first is the
/// pelvis (sacrum), the optional second the upper lumbar spine (architecture note).
public struct SensorConfiguration: Sendable, Equatable {
    /// The I2C adapter.
    public enum Bus: Sendable, Equatable {
        /// `/dev/i2c-N`.
        case number(Int)
        /// A device path, e.g. `/dev/i2c-1`.
        case path(String)
        /// An adapter name as in `/sys/class/i2c-adapter/*/name`, e.g. "CP2112 SMBus Bridge on
        /// hidraw0": stable across reboots where USB adapters' numbers are not.
        case adapterName(String)

        /// One spelling per adapter where the spelling tells: `1` and `"/dev/i2c-1"` are one
        /// bus. (An adapter name is only resolved at run time.)
        public var canonical: Bus {
            if case .path(let p) = self, p.hasPrefix("/dev/i2c-"), let n = Int(p.dropFirst("/dev/i2c-".count)), n >= 0 {
                return .number(n)
            }
            return self
        }
    }

    public enum Address: Sendable, Equatable {
        /// Probe the addresses the supported chips strap to.
        case auto
        /// A 7-bit address.
        case fixed(UInt8)
    }

    /// The chips the drivers know; `auto` identifies the chip by its WHO_AM_I register.
    public enum Chip: String, Sendable, CaseIterable {
        case auto, mpu6050, mpu6500, mpu9250, icm20948, lsm6ds3
        case lsm6ds3trC = "lsm6ds3tr-c"
        case lsm6dso, lsm6dsox, bmi160

        /// InvenSense gyros start at ±250 °/s; the others also offer ±125 °/s.
        var offersGyro125: Bool {
            switch self {
            case .mpu6050, .mpu6500, .mpu9250, .icm20948: false
            default: true
            }
        }
    }

    public static let accelRangesG = [2, 4, 8, 16]
    public static let gyroRangesDPS = [125, 250, 500, 1000, 2000]
    public static let lowPassRangeHz = 5.0...500.0
    /// 7-bit addresses outside the reserved blocks at either end.
    public static let addressRange: ClosedRange<UInt8> = 0x08...0x77

    public var bus: Bus
    public var address: Address
    public var chip: Chip
    /// How the sensor sits on the body (from `mount = "x,y,z"`, see `SensorMounting(remap:)`).
    public var mount: SensorMounting
    /// Accelerometer full scale, ± g.
    public var accelRangeG: Int
    /// Gyroscope full scale, ± °/s.
    public var gyroRangeDPS: Int
    /// Digital low-pass cut-off, Hz; the driver picks the chip's nearest setting.
    public var lowPassHz: Double
    /// The GPIO line wired to the chip's interrupt pin; needed for `pacing = "data-ready"`.
    public var dataReady: GPIOLineSpec?

    public init(
        bus: Bus = .number(1), address: Address = .auto, chip: Chip = .auto, mount: SensorMounting = .standard,
        accelRangeG: Int = 4, gyroRangeDPS: Int = 500, lowPassHz: Double = 20, dataReady: GPIOLineSpec? = nil
    ) {
        self.bus = bus
        self.address = address
        self.chip = chip
        self.mount = mount
        self.accelRangeG = accelRangeG
        self.gyroRangeDPS = gyroRangeDPS
        self.lowPassHz = lowPassHz
        self.dataReady = dataReady
    }
}

extension SensorConfiguration {
    init(reading reader: inout SectionReader) {
        let defaults = SensorConfiguration()
        self.init(
            bus: reader.read("bus", .i2cBus, default: defaults.bus),
            address: reader.read("address", .i2cAddress, default: defaults.address),
            chip: reader.read("chip", .choice, default: defaults.chip),
            mount: reader.read("mount", .mount, default: defaults.mount),
            accelRangeG: reader.read("accel_range_g", .integer(oneOf: Self.accelRangesG, unit: "g"), default: defaults.accelRangeG),
            gyroRangeDPS: reader.read(
                "gyro_range_dps", .integer(oneOf: Self.gyroRangesDPS, unit: "°/s"), default: defaults.gyroRangeDPS),
            lowPassHz: reader.read("lowpass_hz", .number(in: Self.lowPassRangeHz), default: defaults.lowPassHz),
            dataReady: reader.readIfPresent("data_ready", .gpioLineSpec))
    }
}

extension ValueRule where Output == SensorConfiguration.Bus {
    static var i2cBus: ValueRule<SensorConfiguration.Bus> {
        let expected = "a bus number (1 for /dev/i2c-1), a device path, or an adapter name"
        return ValueRule(expected: expected) { value in
            switch value.content {
            case .integer(let number):
                guard (0...255).contains(number) else {
                    return .failure(.outOfRange(value, expected: "a bus number from 0 to 255, a device path, or an adapter name"))
                }
                return .success(.number(Int(number)))
            case .string(let text) where text.hasPrefix("/"):
                return .success(.path(text))
            case .string(let text) where !text.isEmpty:
                return .success(.adapterName(text))
            default:
                return .failure(.wrongType(value, expected: expected))
            }
        }
    }
}

extension ValueRule where Output == SensorConfiguration.Address {
    static var i2cAddress: ValueRule<SensorConfiguration.Address> {
        let range = SensorConfiguration.addressRange
        let expected = "\"auto\" or a 7-bit address from \(hex(range.lowerBound)) to \(hex(range.upperBound)), e.g. 0x68"
        return ValueRule(expected: expected) { value in
            switch value.content {
            case .string("auto"):
                return .success(.auto)
            case .integer(let number):
                guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
                    return .failure(ValueFailure("\(value.rendered) (\(hex(number))) is out of range, expected \(expected)"))
                }
                return .success(.fixed(UInt8(number)))
            case .string:
                return .failure(ValueFailure("\(value.rendered) is not allowed, expected \(expected)"))
            default:
                return .failure(.wrongType(value, expected: expected))
            }
        }
    }

    private static func hex(_ number: some BinaryInteger) -> String {
        "0x" + String(number, radix: 16).leftPadded(to: 2)
    }
}

extension ValueRule where Output == SensorMounting {
    /// `"x,y,z"`, `"-y,x,z"`: parsed and checked by PostureCore's `SensorMounting(remap:)`;
    /// only the wording is this module's, to end with what is allowed.
    static var mount: ValueRule<SensorMounting> {
        let expected = "three distinct axes from x, y, z, each optionally negated, forming a rotation, e.g. \"x,y,z\" or \"-y,x,z\""
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            do throws(MountRemapError) {
                return .success(try SensorMounting(remap: text))
            } catch {
                let wrong: String
                switch error {
                case .wrongEntryCount: wrong = "does not have three comma-separated axes"
                case .unknownAxis(let entry): wrong = "has '\(entry.trimmingBlanks())', which is not an axis"
                case .repeatedAxis: wrong = "names a sensor axis twice"
                case .mirrored: wrong = "is a mirror image (determinant -1), not a rotation; negate one more axis or swap two"
                }
                return .failure(ValueFailure("\(value.rendered) \(wrong), expected \(expected)"))
            }
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
