public import PostureHardware
public import PostureSim

/// A register-level simulated chip on a `SimulatedI2CBus`, driven through the same detection
/// and driver code as real hardware. For demo mode and tests.
///
/// The bus's clock is the `VirtualClock`; the driver's pauses (chip resets) take no time,
/// since a simulated chip is ready at once and scenario time is the loop's to advance.
public final class SimulatedSensorSource: DriverBackedSensorSource {
    public let index: Int
    /// The bus, for fault injection in tests (use it only from the thread that owns the source).
    public let bus: SimulatedI2CBus
    public let address: UInt8
    public let settings: IMUSettings
    public private(set) var driver: (any IMUDriver)?
    private let simulatedDataReady: SimulatedDataReadySignal?

    public init(index: Int, bus: SimulatedI2CBus, address: UInt8, settings: IMUSettings, emulatesDataReady: Bool = false) {
        self.index = index
        self.bus = bus
        self.address = address
        self.settings = settings
        simulatedDataReady = emulatesDataReady
            ? SimulatedDataReadySignal(periodNanoseconds: Int64(1e9 / max(1, settings.rateHz))) : nil
    }

    public var description: String {
        let role = index == 0 ? "pelvis" : "upper lumbar"
        let chip = driver.map { "\($0.descriptor.name) at \(hex(address))" } ?? "chip at \(hex(address)) not found yet"
        return "sensor \(index) (\(role)): \(chip) on \(bus.name)"
    }

    public var configuration: IMUConfiguration? { driver?.configuration }

    public var identity: SensorIdentity { SensorIdentity(chip: driver?.descriptor.name, bus: bus.name, address: address) }
    public var dataReady: (any DataReadySignal)? { simulatedDataReady }

    @discardableResult
    public func open() throws(SensorSourceError) -> IMUConfiguration {
        let found = ChipDetector.scan(bus: bus, addresses: [address])
        guard let chip = found.first, chip.descriptor != nil,
              let driver = ChipDetector.driver(for: chip, bus: bus, pause: { _ in })
        else {
            throw .noChipFound(bus: bus.name, addresses: [address], found: found)
        }
        self.driver = driver
        let c: IMUConfiguration
        do { c = try driver.configure(settings) } catch { throw .imu(error) }
        simulatedDataReady?.periodNanoseconds = Int64(1e9 / c.rateHz)
        return c
    }

    public var notOpenError: IMUError { .notConfigured(chip: "IMU", address: address, what: "not opened") }
}
