import PostureCore

/// A device found on the bus: a known chip, an answering device we cannot identify, or
/// an address that failed with something other than "nobody there".
public struct DetectedChip: Sendable, Equatable {
    public enum Identity: Sendable, Equatable {
        case known(ChipDescriptor)
        case unknown(UnknownIdentity)
        /// The address answered the probe but a later transfer failed (timeout, EIO).
        case unreadable(I2CError)
    }
    public var bus: String
    public var address: UInt8
    public var identity: Identity

    public var descriptor: ChipDescriptor? {
        if case .known(let d) = identity { return d }
        return nil
    }
    public var family: ChipFamily? { descriptor?.family }
}

/// Finds IMUs by their identity registers, through the descriptor table.
public enum ChipDetector {
    /// Where the supported chips strap: InvenSense/Bosch 0x68/0x69, ST 0x6A/0x6B.
    public static let usualAddresses: [UInt8] = [0x68, 0x69, 0x6A, 0x6B]

    /// Scans `addresses`; absent ones (NACK) are left out, answering ones are identified or
    /// reported as unknown with the bytes read.
    public static func scan(bus: any I2CBus, addresses: [UInt8] = usualAddresses, table: [ChipDescriptor] = ChipDescriptor.all) -> [DetectedChip] {
        var found: [DetectedChip] = []
        for address in addresses {
            switch identify(bus: bus, address: address, table: table) {
            case .success(let d): found.append(DetectedChip(bus: bus.name, address: address, identity: .known(d)))
            case .failure(.absent): continue
            case .failure(.unknown(let u)): found.append(DetectedChip(bus: bus.name, address: address, identity: .unknown(u)))
            case .failure(.bus(let e)): found.append(DetectedChip(bus: bus.name, address: address, identity: .unreadable(e)))
            }
        }
        return found
    }

    enum Failure: Error {
        case absent
        case unknown(UnknownIdentity)
        case bus(I2CError)
    }

    /// Reads each distinct identity register the candidate chips use, in table order, and
    /// returns the first match. Only chips that can strap to `address` are candidates
    /// (unless none can, then all are), so a data byte on another map cannot alias.
    static func identify(bus: any I2CBus, address: UInt8, table: [ChipDescriptor]) -> Result<ChipDescriptor, Failure> {
        var candidates = table.filter { $0.addresses.contains(address) }
        if candidates.isEmpty { candidates = table }
        var reads: [UnknownIdentity.RegisterRead] = []
        func value(of register: UInt8) throws(I2CError) -> UInt8 {
            if let r = reads.first(where: { $0.register == register }) { return r.value }
            let v = try bus.readByte(address: address, register: register)
            reads.append(.init(register: register, value: v))
            return v
        }
        do {
            for d in candidates where try value(of: d.identityRegister) == d.identityValue {
                return .success(d)
            }
            // An ICM-20948 left in another register bank (daemon killed mid-configuration)
            // shows bank-N bytes at 0x00. REG_BANK_SEL reads back only bits 5:4; if it looks
            // like that, select bank 0 and look again. Never written to other addresses.
            if let icm = candidates.first(where: { $0.family == .icm20948 }) {
                let sel = try bus.readByte(address: address, register: ICM20948.REG_BANK_SEL)
                if sel != 0 && sel & ~0x30 == 0 {
                    try bus.write(address: address, register: ICM20948.REG_BANK_SEL, value: ICM20948.BANK_0)
                    if try bus.readByte(address: address, register: icm.identityRegister) == icm.identityValue {
                        return .success(icm)
                    }
                }
            }
        } catch {
            if reads.isEmpty && error.kind == .noAcknowledge { return .failure(.absent) }
            return .failure(.bus(error))
        }
        let expected = candidates.map { UnknownIdentity.Expected(chip: $0.name, register: $0.identityRegister, value: $0.identityValue) }
        return .failure(.unknown(UnknownIdentity(bus: bus.name, address: address, reads: reads, expected: expected)))
    }

    /// The driver for a detected chip (nil for unknown or unreadable devices).
    public static func driver(for chip: DetectedChip, bus: any I2CBus, pause: @escaping IMUPause = realPause) -> (any IMUDriver)? {
        guard let d = chip.descriptor else { return nil }
        return d.family.makeDriver(descriptor: d, bus: bus, address: chip.address, pause: pause)
    }

    /// Scans, then for each known chip: configures, self-tests and takes one reading.
    public static func probe(
        bus: any I2CBus, addresses: [UInt8] = usualAddresses, settings: IMUSettings = IMUSettings(),
        pause: @escaping IMUPause = realPause
    ) -> ProbeReport {
        var entries: [ProbeReport.Entry] = []
        for chip in scan(bus: bus, addresses: addresses) {
            var entry = ProbeReport.Entry(chip: chip)
            if let driver = driver(for: chip, bus: bus, pause: pause) {
                do {
                    let c = try driver.configure(settings)
                    entry.configuration = c
                    entry.selfTest = try driver.selfTest()
                    pause(2 / c.rateHz)  // let a fresh sample land after the reconfiguration
                    entry.reading = try driver.read()
                } catch {
                    entry.error = error
                }
            }
            entries.append(entry)
        }
        return ProbeReport(bus: bus.name, addresses: addresses, entries: entries)
    }
}

/// What `posturectl probe` prints.
public struct ProbeReport: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var chip: DetectedChip
        public var configuration: IMUConfiguration?
        public var selfTest: SelfTestResult?
        public var reading: IMUReading?
        public var error: IMUError?
    }
    public var bus: String
    public var addresses: [UInt8]
    public var entries: [Entry]

    /// An i2cdetect-style grid of the scanned rows, then one block per device.
    public var formatted: String {
        var lines = ["\(bus):", "     " + (0..<16).map { String($0, radix: 16) + " " }.joined(separator: " ")]
        let rows = Set(addresses.map { $0 & 0xF0 }).sorted()
        for row in rows {
            var cells: [String] = []
            for col in UInt8(0)..<16 {
                let a = row | col
                if let e = entries.first(where: { $0.chip.address == a }) {
                    switch e.chip.identity {
                    case .known: cells.append(String(hex(a).dropFirst(2)))
                    case .unknown: cells.append("??")
                    case .unreadable: cells.append("XX")
                    }
                } else {
                    cells.append(addresses.contains(a) ? "--" : "  ")
                }
            }
            lines.append(String(hex(row).dropFirst(2)) + ":  " + cells.joined(separator: " "))
        }
        if entries.isEmpty {
            lines.append("no IMU found at " + addresses.map(hex).joined(separator: ", ")
                + "; check wiring, power, and that the bus is enabled (dtparam=i2c_arm=on)")
        }
        for e in entries {
            let at = hex(e.chip.address)
            switch e.chip.identity {
            case .known(let d):
                lines.append("\(at)  \(d.name) (\(hex(d.identityRegister)) = \(hex(d.identityValue)))")
            case .unknown(let u):
                lines.append("\(at)  unknown device: " + u.reads.map { "\(hex($0.register)) = \(hex($0.value))" }.joined(separator: ", "))
                lines.append("      expected " + u.expected.map { "\($0.chip) \(hex($0.register)) = \(hex($0.value))" }.joined(separator: ", "))
            case .unreadable(let err):
                lines.append("\(at)  answers but cannot be read: \(err)")
            }
            if let c = e.configuration {
                lines.append("      config     \(c.summary)")
                lines.append("      interrupt  \(c.interrupt.description)")
            }
            if let s = e.selfTest { lines.append("      self-test  \(s.description)") }
            if let r = e.reading {
                let a = r.accel, g = r.gyro
                lines.append("      accel      \(fmt(a.x, 3)) \(fmt(a.y, 3)) \(fmt(a.z, 3)) m/s² (|a| \(fmt(a.norm, 3)))")
                lines.append("      gyro       \(fmt(g.x, 4)) \(fmt(g.y, 4)) \(fmt(g.z, 4)) rad/s")
            }
            if let err = e.error { lines.append("      error      \(err)") }
        }
        return lines.joined(separator: "\n")
    }
}
