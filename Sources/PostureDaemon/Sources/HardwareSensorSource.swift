public import PostureConfig
public import PostureHardware

/// A real IMU: a PostureHardware driver on a `LinuxI2CBus`, found by its identity register.
///
/// `open` (re)opens the bus by number, path or adapter name (USB adapters change numbers when
/// replugged), detects the chip at the configured address or the usual ones, checks it against
/// the configured chip, and configures it. The mount is not applied here: readings stay in the
/// sensor frame and calibration maps them to the body.
public final class HardwareSensorSource: DriverBackedSensorSource {
    public let index: Int
    public let sensor: SensorConfiguration
    public let settings: IMUSettings
    /// With `address = "auto"`: addresses other sensors on the same bus are fixed to.
    public let excludedAddresses: [UInt8]
    /// With `address = "auto"` and several auto sensors on one bus: take the n-th chip found.
    public let autoRank: Int
    public private(set) var driver: (any IMUDriver)?
    public private(set) var dataReady: (any DataReadySignal)?
    private var bus: LinuxI2CBus?

    public init(index: Int, sensor: SensorConfiguration, settings: IMUSettings, excludedAddresses: [UInt8] = [], autoRank: Int = 0) {
        self.index = index
        self.sensor = sensor
        self.settings = settings
        self.excludedAddresses = excludedAddresses
        self.autoRank = autoRank
    }

    public var description: String {
        let role = index == 0 ? "pelvis" : "upper lumbar"
        let chip = driver.map { "\($0.descriptor.name) at \(hex($0.address))" } ?? "not found yet"
        return "sensor \(index) (\(role)): \(chip) on \(busName)"
    }

    public var configuration: IMUConfiguration? { driver?.configuration }

    public var identity: SensorIdentity {
        SensorIdentity(chip: driver?.descriptor.name, bus: busName, address: driver?.address)
    }

    private var busName: String {
        switch sensor.bus {
        case .number(let n): "/dev/i2c-\(n)"
        case .path(let p): p
        case .adapterName(let name): "adapter \"\(name)\""
        }
    }

    private var candidateAddresses: [UInt8] {
        switch sensor.address {
        case .fixed(let a): [a]
        case .auto: ChipDetector.usualAddresses.filter { !excludedAddresses.contains($0) }
        }
    }

    @discardableResult
    public func open() throws(SensorSourceError) -> IMUConfiguration {
        driver = nil
        bus = nil  // closes the old file descriptor: a replugged adapter is a new device
        let bus: LinuxI2CBus
        do {
            switch sensor.bus {
            case .number(let n): bus = try LinuxI2CBus(number: n)
            case .path(let p): bus = try LinuxI2CBus(path: p)
            case .adapterName(let name): bus = try LinuxI2CBus(adapterNamed: name)
            }
        } catch {
            throw .bus(error)
        }
        self.bus = bus
        let addresses = candidateAddresses
        let found = ChipDetector.scan(bus: bus, addresses: addresses)
        let known = found.filter { $0.descriptor != nil }
        let rank = sensor.address == .auto ? autoRank : 0
        guard rank < known.count, let driver = ChipDetector.driver(for: known[rank], bus: bus) else {
            throw .noChipFound(bus: bus.name, addresses: addresses, found: found)
        }
        if let expected = Self.expectedFamily(sensor.chip), expected != driver.descriptor.family {
            throw .chipMismatch(bus: bus.name, address: driver.address, configured: sensor.chip.rawValue, found: driver.descriptor.name)
        }
        let c: IMUConfiguration
        do { c = try driver.configure(settings) } catch { throw .imu(error) }
        self.driver = driver
        if dataReady == nil, let spec = sensor.dataReady {
            do {
                dataReady = try GPIODataReadySignal(spec: spec.chip, line: spec.line.description)
            } catch {
                throw .dataReady(error)
            }
        }
        return c
    }

    public var notOpenError: IMUError {
        .notConfigured(chip: "IMU", address: sensor.address == .auto ? 0 : candidateAddresses[0], what: "not opened")
    }

    /// The family a configured chip must belong to; `nil` for `auto`. Models within a family
    /// (LSM6DS3 vs LSM6DS3TR-C, MPU-6500 vs MPU-9250) share a driver, so they are not told apart.
    static func expectedFamily(_ chip: SensorConfiguration.Chip) -> ChipFamily? {
        switch chip {
        case .auto: nil
        case .mpu6050: .mpu6050
        case .mpu6500, .mpu9250: .mpu6500
        case .icm20948: .icm20948
        case .lsm6ds3, .lsm6ds3trC: .lsm6ds3
        case .lsm6dso, .lsm6dsox: .lsm6dso
        case .bmi160: .bmi160
        }
    }
}
