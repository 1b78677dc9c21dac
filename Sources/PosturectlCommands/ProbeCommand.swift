import PostureCommandLine
import PostureHardware
import PostureSim

struct ProbeCommand: Command {
    static let declaration = CommandDeclaration(
        "probe",
        abstract: "Find the IMUs on the I2C buses: chip, self-test and one reading in physical units.",
        discussion: """
            Like i2cdetect, but knowing the chips: scans the usual IMU addresses (0x68, 0x69, \
            0x6A, 0x6B) on every I2C adapter (or the --bus ones), identifies each chip by its \
            WHO_AM_I register, configures it, runs its self-test and prints one reading. \
            Probing reconfigures the chips: stop postured first (systemctl stop postured).
            """,
        arguments: [busOption, addressOption, simulatedFlag, jsonFlag])

    static let busOption = Argument<String>.repeated(
        "bus", help: "A bus to scan: its number (1 for /dev/i2c-1), path, or adapter name. Repeatable. Default: all adapters.")
    static let addressOption = Argument<String>.repeated(
        "address", help: "An address to scan, e.g. 0x68. Repeatable. Default: 0x68 to 0x6B.")
    static let simulatedFlag = Flag(
        "simulated", help: "Probe a simulated bus (an MPU-6050 at 0x68 and an LSM6DS3 at 0x6A) instead of the real ones.")
    static let jsonFlag = Flag("json", help: "Print one JSON line per bus: the addresses scanned and each device found.")

    let buses: [String]
    let addresses: [String]
    let simulated: Bool
    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        buses = try arguments.values(Self.busOption)
        addresses = try arguments.values(Self.addressOption)
        simulated = arguments.isSet(Self.simulatedFlag)
        json = arguments.isSet(Self.jsonFlag)
    }

    /// Exit 0 only if an IMU was identified: a script (or a user) asking "is it wired?"
    /// must not read success from an empty bus.
    func run() throws {
        let scanAddresses = try addresses.isEmpty ? ChipDetector.usualAddresses : addresses.map(Self.parseAddress)
        var identified = 0
        func show(_ report: ProbeReport) {
            identified += report.entries.filter { $0.chip.descriptor != nil }.count
            print(json ? ProbeJSON.line(report) : report.formatted)
        }
        if simulated {
            let bus = Self.simulatedBus()
            show(ChipDetector.probe(bus: bus, addresses: scanAddresses, pause: bus.sleep))
        } else {
            let targets = buses.isEmpty ? I2CAdapter.all().map { String($0.number) } : buses
            guard !targets.isEmpty else {
                throw CommandFailure(
                    "no I2C adapters in /sys/class/i2c-dev: enable I2C (on a Raspberry Pi: dtparam=i2c_arm=on in config.txt) and load i2c-dev (modprobe i2c-dev)")
            }
            for target in targets {
                do {
                    show(ChipDetector.probe(bus: try Self.openBus(target), addresses: scanAddresses))
                } catch {
                    print(json ? ProbeJSON.unopened(target, error: "\(error)") : "\(target): \(error)")
                }
                if !json { print("") }
            }
        }
        guard identified > 0 else {
            throw CommandFailure("no IMU identified at " + scanAddresses.map { ProbeJSON.hexByte($0) }.joined(separator: ", "), code: "not_found")
        }
    }

    static func openBus(_ spec: String) throws(I2CError) -> LinuxI2CBus {
        if let number = Int(spec) { return try LinuxI2CBus(number: number) }
        if spec.hasPrefix("/") { return try LinuxI2CBus(path: spec) }
        return try LinuxI2CBus(adapterNamed: spec)
    }

    static func parseAddress(_ text: String) throws -> UInt8 {
        let digits = text.lowercased().hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard let value = UInt8(digits, radix: 16), (0x08...0x77).contains(value) else {
            throw UsageError("--address '\(text)': expected a 7-bit address from 0x08 to 0x77, e.g. 0x68")
        }
        return value
    }

    /// Two different chip families on one bus, lying still and flat.
    static func simulatedBus() -> SimulatedI2CBus {
        let bus = SimulatedI2CBus(name: "simulated bus")
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: SteadyMotion()), at: 0x68)
        bus.attach(SimulatedLSM6DS(.lsm6ds3, motion: SteadyMotion()), at: 0x6A)
        return bus
    }
}
