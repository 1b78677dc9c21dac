import PostureCore

/// BMI160 at register level: CMD power modes (suspended after reset), little-endian
/// gyro-then-accel data, drdy status, a headerless 1024-byte FIFO that drops whole frames,
/// accel self-test excitation (sign and amplitude) and the gyro's built-in test bit.
public final class SimulatedBMI160: SimulatedRegisterChip {
    static let CHIP_ID = 0x00, PMU_STATUS = 0x03, DATA_GYR = 0x0C, DATA_ACC = 0x12, STATUS = 0x1B
    static let INT_STATUS_1 = 0x1D, FIFO_LENGTH_0 = 0x22, FIFO_LENGTH_1 = 0x23, FIFO_DATA = 0x24
    static let ACC_CONF = 0x40, ACC_RANGE = 0x41, GYR_CONF = 0x42, GYR_RANGE = 0x43
    static let FIFO_CONFIG_0 = 0x46, FIFO_CONFIG_1 = 0x47, SELF_TEST = 0x6D, CMD = 0x7E

    /// Accel self-test deflection at high amplitude, g (the positive sign deflects negative,
    /// as Bosch's check of negative − positive implies).
    public var accelSelfTestG = 2.0

    public init(motion: any MotionSource) {
        super.init(
            name: "BMI160", motion: motion,
            powerOn: [
                Self.CHIP_ID: 0xD1, Self.ACC_CONF: 0x28, Self.ACC_RANGE: 0x03, Self.GYR_CONF: 0x28,
                Self.FIFO_CONFIG_0: 0x80, Self.FIFO_CONFIG_1: 0x10,
            ],
            fifoBytes: 1020)  // 1024 bytes, of which whole 12-byte frames: 85
    }

    private var accNormal: Bool { registers[Self.PMU_STATUS] & 0x30 == 0x10 }
    private var gyrNormal: Bool { registers[Self.PMU_STATUS] & 0x0C == 0x04 }
    private func hz(_ conf: Int) -> Double {
        let code = Int(registers[conf] & 0x0F)
        return code == 0 ? 0 : 100 * Double.exp(Double.log(2) * Double(code - 8))
    }
    override var sampleRateHz: Double { max(accNormal ? hz(Self.ACC_CONF) : 0, gyrNormal ? hz(Self.GYR_CONF) : 0) }
    private var fifoOn: Bool { registers[Self.FIFO_CONFIG_1] & 0xC0 != 0 && registers[Self.FIFO_CONFIG_1] & 0x10 == 0 }
    override var fifoActive: Bool { fifoOn }

    private var accelCountsPerG: Double {
        switch registers[Self.ACC_RANGE] {
        case 0x05: return 8192
        case 0x08: return 4096
        case 0x0C: return 2048
        default: return 16384
        }
    }
    private var gyroCountsPerDPS: Double { 16.4 * Double(1 << Int(min(4, registers[Self.GYR_RANGE] & 0x07))) }

    override func selfTestOffset() -> (accel: Vector3, gyro: Vector3) {
        let st = registers[Self.SELF_TEST]
        guard st & 0x03 != 0 else { return (.zero, .zero) }
        let amp = st & 0x08 != 0 ? accelSelfTestG : accelSelfTestG / 4
        let d = (st & 0x04 != 0 ? -1.0 : 1.0) * amp * standardGravity
        return (Vector3(d, d, d), .zero)
    }

    override func latch(accel: Vector3, gyro: Vector3) {
        var g: [UInt8] = [], a: [UInt8] = []
        put(gyro * Double.radiansToDegrees, perUnit: gyroCountsPerDPS, axisBase: 3, bigEndian: false, into: &g)
        put(accel / standardGravity, perUnit: accelCountsPerG, axisBase: 0, bigEndian: false, into: &a)
        if gyrNormal {
            store(g, at: Self.DATA_GYR)
            registers[Self.STATUS] |= 0x40
        }
        if accNormal {
            store(a, at: Self.DATA_ACC)
            registers[Self.STATUS] |= 0x80
        }
        guard fifoOn else { return }
        // Headerless frame: gyro then accel (the enabled ones).
        let cfg = registers[Self.FIFO_CONFIG_1]
        var frame: [UInt8] = []
        if cfg & 0x80 != 0 { frame += g }
        if cfg & 0x40 != 0 { frame += a }
        fifo.push(frame, dropUnit: frame.count)
        if fifo.count + frame.count > fifo.capacity || fifo.overflowed { registers[Self.INT_STATUS_1] |= 0x20 }
    }

    override public func readRegister(_ register: UInt8) -> UInt8 {
        let r = Int(register)
        switch r {
        case Self.DATA_GYR..<Self.DATA_ACC:
            registers[Self.STATUS] &= ~0x40
            return registers[r]
        case Self.DATA_ACC..<(Self.DATA_ACC + 6):
            registers[Self.STATUS] &= ~0x80
            return registers[r]
        case Self.INT_STATUS_1:
            let v = registers[r]
            registers[r] = 0
            fifo.overflowed = false
            return v
        case Self.FIFO_LENGTH_0: return UInt8(fifo.count & 0xFF)
        case Self.FIFO_LENGTH_1: return UInt8((fifo.count >> 8) & 0x07)
        case Self.FIFO_DATA: return fifo.pop() ?? 0x80  // 0x80: Bosch's over-read marker
        case Self.CMD: return 0
        default: return registers[r]
        }
    }

    override public func nextRegister(after register: UInt8) -> UInt8 {
        Int(register) == Self.FIFO_DATA ? register : register &+ 1
    }

    override public func writeRegister(_ register: UInt8, value: UInt8) {
        let r = Int(register)
        switch r {
        case Self.CHIP_ID, Self.PMU_STATUS, Self.STATUS, Self.FIFO_LENGTH_0, Self.FIFO_LENGTH_1:
            return
        case Self.CMD:
            switch value {
            case 0xB6: powerOnReset()
            case 0x11: registers[Self.PMU_STATUS] = registers[Self.PMU_STATUS] & ~0x30 | 0x10
            case 0x10: registers[Self.PMU_STATUS] &= ~0x30
            case 0x15: registers[Self.PMU_STATUS] = registers[Self.PMU_STATUS] & ~0x0C | 0x04
            case 0x14: registers[Self.PMU_STATUS] &= ~0x0C
            case 0xB0: fifo.clear()
            default: break
            }
            restartSampling()
        case Self.SELF_TEST:
            registers[r] = value
            // The gyro's built-in test passes on a healthy chip.
            if value & 0x10 != 0 {
                if selfTestScale >= 0.5 { registers[Self.STATUS] |= 0x02 } else { registers[Self.STATUS] &= ~0x02 }
            }
        default:
            registers[r] = value
            if r == Self.ACC_CONF || r == Self.GYR_CONF { restartSampling() }
        }
    }
}
