/// Why an IMU operation failed, with enough detail to act on.
public enum IMUError: Error, Equatable, CustomStringConvertible {
    /// The bus transaction failed (NACK, timeout, EIO, …).
    case bus(I2CError)
    /// Something answered but its identity register holds no value we know.
    case unknownIdentity(UnknownIdentity)
    /// The chip's self-test response was outside its limits.
    case selfTestFailed(chip: String, address: UInt8, result: SelfTestResult)
    /// The same raw burst came back `identicalReads` times in a row: the chip stopped converting.
    case dataFrozen(chip: String, address: UInt8, identicalReads: Int)
    /// A configuration register read back its power-on value: the chip was reset (brown-out).
    case chipReset(chip: String, address: UInt8, register: UInt8, expected: UInt8, read: UInt8)
    /// A write did not stick (read back differs), without looking like a reset.
    case configurationNotApplied(chip: String, address: UInt8, register: UInt8, wrote: UInt8, read: UInt8)
    /// `read`/`readFIFO` before `configure`, or FIFO use without a watermark configured.
    case notConfigured(chip: String, address: UInt8, what: String)
    case invalidSettings(String)

    public var description: String {
        switch self {
        case .bus(let e):
            return "IMU bus error: \(e)"
        case .unknownIdentity(let u):
            return u.description
        case .selfTestFailed(let chip, let address, let result):
            return "\(chip) at \(hex(address)): self-test failed: \(result.description)"
        case .dataFrozen(let chip, let address, let n):
            return "\(chip) at \(hex(address)): data frozen (\(n) identical readings in a row); the chip needs a reset"
        case .chipReset(let chip, let address, let register, let expected, let read):
            return "\(chip) at \(hex(address)): register \(hex(register)) reads \(hex(read)) instead of \(hex(expected)); the chip was reset (brown-out?) and needs reconfiguring"
        case .configurationNotApplied(let chip, let address, let register, let wrote, let read):
            return "\(chip) at \(hex(address)): wrote \(hex(wrote)) to register \(hex(register)) but read back \(hex(read))"
        case .notConfigured(let chip, let address, let what):
            return "\(chip) at \(hex(address)): \(what)"
        case .invalidSettings(let why):
            return "invalid IMU settings: \(why)"
        }
    }
}

/// An answering device whose identity register matched no known chip.
public struct UnknownIdentity: Sendable, Equatable, CustomStringConvertible {
    public struct Expected: Sendable, Equatable {
        public var chip: String
        public var register: UInt8
        public var value: UInt8
    }
    public var bus: String
    public var address: UInt8
    /// Each identity register read and the byte it held.
    public var reads: [RegisterRead]
    public var expected: [Expected]

    public struct RegisterRead: Sendable, Equatable {
        public var register: UInt8
        public var value: UInt8
    }

    public var description: String {
        let got = reads.map { "register \(hex($0.register)) = \(hex($0.value))" }.joined(separator: ", ")
        let want = expected.map { "\($0.chip) (\(hex($0.register)) = \(hex($0.value)))" }.joined(separator: ", ")
        return "\(bus) address \(hex(address)): unknown chip: read \(got); expected one of \(want)"
    }
}

func hex(_ v: UInt8) -> String {
    let s = String(v, radix: 16, uppercase: false)
    return "0x" + (s.count < 2 ? "0" + s : s)
}
