import PostureCore

/// ICM-20948 at register level: four 128-register banks behind REG_BANK_SEL, big-endian
/// accel-then-gyro data, RAW_DATA_0_RDY status, a stream-mode byte FIFO, OTP self-test codes.
public final class SimulatedICM20948: SimulatedRegisterChip {
    static let REG_BANK_SEL = 0x7F
    // Bank 0.
    static let WHO_AM_I = 0x00, USER_CTRL = 0x03, PWR_MGMT_1 = 0x06, INT_STATUS_1 = 0x1A, INT_STATUS_2 = 0x1B
    static let ACCEL_XOUT_H = 0x2D, GYRO_XOUT_H = 0x33, TEMP_OUT_H = 0x39
    static let FIFO_EN_2 = 0x67, FIFO_RST = 0x68, FIFO_COUNTH = 0x70, FIFO_COUNTL = 0x71, FIFO_R_W = 0x72
    // Bank 1 (offset 128).
    static let SELF_TEST_X_GYRO = 128 + 0x02, SELF_TEST_X_ACCEL = 128 + 0x0E
    // Bank 2 (offset 256).
    static let GYRO_SMPLRT_DIV = 256 + 0x00, GYRO_CONFIG_1 = 256 + 0x01, GYRO_CONFIG_2 = 256 + 0x02
    static let ACCEL_CONFIG = 256 + 0x14, ACCEL_CONFIG_2 = 256 + 0x15

    public let gyroTrim: [UInt8] = [0x66, 0x68, 0x6A]
    public let accelTrim: [UInt8] = [0x5C, 0x5E, 0x60]
    private var bank = 0

    public init(motion: any MotionSource) {
        var p: [Int: UInt8] = [
            Self.WHO_AM_I: 0xEA, Self.PWR_MGMT_1: 0x41, Self.GYRO_CONFIG_1: 0x01, Self.ACCEL_CONFIG: 0x01,
        ]
        for i in 0..<3 {
            p[Self.SELF_TEST_X_GYRO + i] = gyroTrim[i]
            p[Self.SELF_TEST_X_ACCEL + i] = accelTrim[i]
        }
        super.init(name: "ICM-20948", motion: motion, registerCount: 512, powerOn: p, fifoBytes: 512)
    }

    override public func powerOnReset() {
        super.powerOnReset()
        bank = 0
    }

    private func index(_ register: UInt8) -> Int { bank * 128 + Int(register & 0x7F) }

    override var sampleRateHz: Double {
        guard registers[Self.PWR_MGMT_1] & 0x40 == 0 else { return 0 }
        return 1125 / (1 + Double(registers[Self.GYRO_SMPLRT_DIV]))
    }
    private var fifoOn: Bool { registers[Self.USER_CTRL] & 0x40 != 0 }
    override var fifoActive: Bool { fifoOn && registers[Self.FIFO_EN_2] != 0 }

    override func selfTestOffset() -> (accel: Vector3, gyro: Vector3) {
        let gOn = registers[Self.GYRO_CONFIG_2] & 0x38, aOn = registers[Self.ACCEL_CONFIG_2] & 0x1C
        func otp(_ c: UInt8) -> Double { 2620 * Double.exp(Double.log(1.01) * (Double(c) - 1)) }
        var g = [0.0, 0, 0], a = [0.0, 0, 0]
        for i in 0..<3 {
            if gOn & (0x20 >> UInt8(i)) != 0 { g[i] = otp(gyroTrim[i]) / 131 }
            if aOn & (0x10 >> UInt8(i)) != 0 { a[i] = otp(accelTrim[i]) / 16384 }
        }
        return (Vector3(a[0], a[1], a[2]) * standardGravity, Vector3(g[0], g[1], g[2]) / Double.radiansToDegrees)
    }

    override func latch(accel: Vector3, gyro: Vector3) {
        let aFS = Int((registers[Self.ACCEL_CONFIG] >> 1) & 3), gFS = Int((registers[Self.GYRO_CONFIG_1] >> 1) & 3)
        var a: [UInt8] = [], g: [UInt8] = []
        put(accel / standardGravity, perUnit: 16384 / Double(1 << aFS), axisBase: 0, bigEndian: true, into: &a)
        put(gyro * Double.radiansToDegrees, perUnit: [131, 65.5, 32.8, 16.4][gFS], axisBase: 3, bigEndian: true, into: &g)
        let temp: [UInt8] = [0x05, 0x00]
        store(a, at: Self.ACCEL_XOUT_H)
        store(g, at: Self.GYRO_XOUT_H)
        store(temp, at: Self.TEMP_OUT_H)
        registers[Self.INT_STATUS_1] |= 0x01  // RAW_DATA_0_RDY_INT
        if fifoOn {
            let en = registers[Self.FIFO_EN_2]
            var frame: [UInt8] = []
            if en & 0x10 != 0 { frame += a }
            for i in 0..<3 where en & (0x02 << UInt8(i)) != 0 { frame += g[(2 * i)...(2 * i + 1)] }
            if en & 0x01 != 0 { frame += temp }
            if !frame.isEmpty {
                fifo.push(frame, dropUnit: 1)
                if fifo.overflowed { registers[Self.INT_STATUS_2] |= 0x1F }
            }
        }
    }

    override public func readRegister(_ register: UInt8) -> UInt8 {
        if Int(register) == Self.REG_BANK_SEL { return UInt8(bank << 4) }
        let i = index(register)
        switch i {
        case Self.INT_STATUS_1, Self.INT_STATUS_2:
            let v = registers[i]
            registers[i] = 0
            if i == Self.INT_STATUS_2 { fifo.overflowed = false }
            return v
        case Self.FIFO_COUNTH: return UInt8(fifo.count >> 8)
        case Self.FIFO_COUNTL: return UInt8(fifo.count & 0xFF)
        case Self.FIFO_R_W: return fifo.pop() ?? 0xFF
        default: return registers[i]
        }
    }

    override public func nextRegister(after register: UInt8) -> UInt8 {
        bank == 0 && Int(register) == Self.FIFO_R_W ? register : register &+ 1
    }

    override public func writeRegister(_ register: UInt8, value: UInt8) {
        if Int(register) == Self.REG_BANK_SEL {
            bank = Int((value >> 4) & 3)
            return
        }
        let i = index(register)
        switch i {
        case Self.WHO_AM_I, Self.FIFO_COUNTH, Self.FIFO_COUNTL:
            return  // read-only
        case Self.PWR_MGMT_1 where value & 0x80 != 0:
            powerOnReset()
        case Self.FIFO_RST:
            if value & 0x1F != 0 { fifo.clear() }
        default:
            registers[i] = value
            if i == Self.GYRO_SMPLRT_DIV || i == Self.PWR_MGMT_1 { restartSampling() }
        }
    }
}
