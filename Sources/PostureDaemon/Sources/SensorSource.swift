public import PostureHardware

/// One IMU as the sampling loop sees it: a driver on a bus, found and configured, that
/// delivers readings in the sensor frame (the mount is applied by calibration, not here).
///
/// Owned by the loop thread after start-up, like the bus and driver underneath, so it is a
/// class and not `Sendable`; `SamplingLoop.start` takes the sources as `sending`.
/// Which chip a sensor is, where: `nil` fields are not known yet (chip not found).
public struct SensorIdentity: Sendable, Equatable {
    public var chip: String?
    public var bus: String
    public var address: UInt8?

    public init(chip: String?, bus: String, address: UInt8?) {
        self.chip = chip
        self.bus = bus
        self.address = address
    }
}

public protocol SensorSource: AnyObject {
    /// 0 pelvis, 1 upper lumbar.
    var index: Int { get }
    /// For status and logs: "sensor 0 (pelvis): MPU-6050 at 0x68 on /dev/i2c-1".
    var description: String { get }
    /// What the chip was configured to; `nil` until `open` succeeded.
    var configuration: IMUConfiguration? { get }
    /// Chip, bus and address, structured for `posturectl status`.
    var identity: SensorIdentity { get }
    /// The chip's interrupt as an edge source, when wired (`data_ready`), for data-ready pacing.
    var dataReady: (any DataReadySignal)? { get }

    /// Opens the bus if needed, finds the chip and configures it. Called at start-up and,
    /// from the loop, after a loss the cheap health check could not cure (a reopened bus,
    /// a chip that came back at another address or as another board). May pause for the
    /// chip's reset time.
    @discardableResult func open() throws(SensorSourceError) -> IMUConfiguration
    /// One reading (the data registers). Does not allocate on success.
    func read() throws(IMUError) -> IMUReading
    /// Whole FIFO frames into the caller's storage. Does not allocate on success.
    func drainFIFO(into frames: UnsafeMutableBufferPointer<IMUReading>) throws(IMUError) -> FIFODrain
    /// Reads back configuration canaries; reconfigures a chip that was reset or froze.
    func checkHealth() throws(IMUError) -> HealthStatus
}

/// Why a source could not be opened.
public enum SensorSourceError: Error, Equatable, CustomStringConvertible {
    /// Opening the bus failed (absent, permission).
    case bus(I2CError)
    /// No known chip answered at the addresses tried; `found` lists what did answer.
    case noChipFound(bus: String, addresses: [UInt8], found: [DetectedChip])
    /// The configured chip is not the one found.
    case chipMismatch(bus: String, address: UInt8, configured: String, found: String)
    /// The chip answered but configuring it failed.
    case imu(IMUError)
    /// The data-ready GPIO line could not be requested.
    case dataReady(GPIOError)

    public var description: String {
        switch self {
        case .bus(let e): return e.description
        case .noChipFound(let bus, let addresses, let found):
            let tried = addresses.map(hex).joined(separator: ", ")
            let others = found.isEmpty ? "nothing answered" : "found " + found.map(describe).joined(separator: ", ")
            return "\(bus): no supported IMU at \(tried) (\(others)); check wiring, power and the configured address"
        case .chipMismatch(let bus, let address, let configured, let found):
            return "\(bus) address \(hex(address)): configured chip \(configured) but found \(found)"
        case .imu(let e): return e.description
        case .dataReady(let e): return "data-ready line: \(e)"
        }
    }

    /// The fixed-size code the loop reports.
    public var faultCode: SensorFaultCode {
        switch self {
        case .bus(let e): return SensorFaultCode(e)
        case .noChipFound: return .noChipFound
        case .chipMismatch: return .chipMismatch
        case .imu(let e): return SensorFaultCode(e)
        case .dataReady: return .dataReadyLine
        }
    }

    private func describe(_ chip: DetectedChip) -> String {
        switch chip.identity {
        case .known(let d): return "\(d.name) at \(hex(chip.address))"
        case .unknown: return "an unknown device at \(hex(chip.address))"
        case .unreadable: return "an unreadable device at \(hex(chip.address))"
        }
    }
}

extension SensorFaultCode {
    public init(_ error: I2CError) {
        switch error.kind {
        case .busNotFound: self = .busNotFound
        case .permissionDenied: self = .permissionDenied
        case .noAcknowledge: self = .noAcknowledge
        case .timeout: self = .timeout
        case .io: self = .ioError
        }
    }

    public init(_ error: IMUError) {
        switch error {
        case .bus(let e): self.init(e)
        case .unknownIdentity: self = .unknownChip
        case .selfTestFailed: self = .selfTestFailed
        case .dataFrozen: self = .dataFrozen
        case .chipReset: self = .chipReset
        case .configurationNotApplied: self = .configurationNotApplied
        case .notConfigured: self = .notConfigured
        case .invalidSettings: self = .invalidSettings
        }
    }
}

func hex(_ v: UInt8) -> String {
    let s = String(v, radix: 16)
    return "0x" + (s.count < 2 ? "0" + s : s)
}

/// A source that reads through one PostureHardware driver once `open()` found the chip:
/// the per-sample calls are the driver's, or a "not opened" error before that.
public protocol DriverBackedSensorSource: SensorSource {
    var driver: (any IMUDriver)? { get }
    /// The error for a call before `open()` succeeded.
    var notOpenError: IMUError { get }
}

extension DriverBackedSensorSource {
    public func read() throws(IMUError) -> IMUReading {
        guard let driver else { throw notOpenError }
        return try driver.read()
    }

    public func drainFIFO(into frames: UnsafeMutableBufferPointer<IMUReading>) throws(IMUError) -> FIFODrain {
        guard let driver else { throw notOpenError }
        return try driver.readFIFO(into: frames)
    }

    public func checkHealth() throws(IMUError) -> HealthStatus {
        guard let driver else { throw notOpenError }
        return try driver.checkHealth(reconfigure: true)
    }
}
