import PostureCore

/// MPU-6050 / MPU-6500 / MPU-9250 at register level: identity, configuration with power-on
/// values, big-endian data scaled by the configured full scale, DATA_RDY and FIFO_OFLOW
/// status (clear on read), a byte FIFO that overwrites its oldest bytes, self-test deflection
/// matching the factory trim codes it carries.
public final class SimulatedMPU6xxx: SimulatedRegisterChip {
    public enum Model: Sendable {
        case mpu6050, mpu6500, mpu9250
        var whoAmI: UInt8 { self == .mpu6050 ? 0x68 : (self == .mpu6500 ? 0x70 : 0x71) }
        var name: String { self == .mpu6050 ? "MPU-6050" : (self == .mpu6500 ? "MPU-6500" : "MPU-9250") }
    }
    public let model: Model

    // Register addresses (same map as the driver's, kept separate on purpose: the
    // simulator is a second reading of the datasheet, not a copy of the driver).
    static let SELF_TEST_X_GYRO = 0x00, SELF_TEST_X = 0x0D, SELF_TEST_A = 0x10
    static let SMPLRT_DIV = 0x19, CONFIG = 0x1A, GYRO_CONFIG = 0x1B, ACCEL_CONFIG = 0x1C
    static let FIFO_EN = 0x23, INT_STATUS = 0x3A, ACCEL_XOUT_H = 0x3B, TEMP_OUT_H = 0x41, GYRO_XOUT_H = 0x43
    static let USER_CTRL = 0x6A, PWR_MGMT_1 = 0x6B, FIFO_COUNTH = 0x72, FIFO_COUNTL = 0x73, FIFO_R_W = 0x74
    static let WHO_AM_I = 0x75

    /// Factory trim codes this chip carries. MPU-6050: 5-bit XG/YG/ZG and XA/YA/ZA codes;
    /// MPU-6500/9250: 8-bit OTP codes.
    public let gyroTrim: (UInt8, UInt8, UInt8)
    public let accelTrim: (UInt8, UInt8, UInt8)

    public init(_ model: Model, motion: any MotionSource) {
        self.model = model
        var p: [Int: UInt8] = [Self.WHO_AM_I: model.whoAmI, Self.PWR_MGMT_1: model == .mpu6050 ? 0x40 : 0x01]
        if model == .mpu6050 {
            gyroTrim = (13, 14, 15)
            accelTrim = (16, 17, 18)
            for i in 0..<3 {
                let xa = [accelTrim.0, accelTrim.1, accelTrim.2][i], xg = [gyroTrim.0, gyroTrim.1, gyroTrim.2][i]
                p[Self.SELF_TEST_X + i] = (xa >> 2) << 5 | xg
                p[Self.SELF_TEST_A, default: 0] |= (xa & 0x03) << (4 - 2 * UInt8(i))
            }
        } else {
            gyroTrim = (0x60, 0x62, 0x64)
            accelTrim = (0x58, 0x5A, 0x5C)
            for (i, c) in [gyroTrim.0, gyroTrim.1, gyroTrim.2].enumerated() { p[Self.SELF_TEST_X_GYRO + i] = c }
            for (i, c) in [accelTrim.0, accelTrim.1, accelTrim.2].enumerated() { p[Self.SELF_TEST_X + i] = c }
        }
        super.init(name: model.name, motion: motion, powerOn: p, fifoBytes: model == .mpu6050 ? 1024 : 512)
    }

    private var asleep: Bool { registers[Self.PWR_MGMT_1] & 0x40 != 0 }
    override var sampleRateHz: Double {
        guard !asleep else { return 0 }
        let dlpf = registers[Self.CONFIG] & 0x07
        let base = (dlpf == 0 || dlpf == 7) ? 8000.0 : 1000.0
        return base / (1 + Double(registers[Self.SMPLRT_DIV]))
    }
    private var fifoOn: Bool { registers[Self.USER_CTRL] & 0x40 != 0 }
    override var fifoActive: Bool { fifoOn && registers[Self.FIFO_EN] != 0 }

    private var accelCountsPerG: Double { 16384 / Double(1 << Int((registers[Self.ACCEL_CONFIG] >> 3) & 3)) }
    private var gyroCountsPerDPS: Double { [131, 65.5, 32.8, 16.4][Int((registers[Self.GYRO_CONFIG] >> 3) & 3)] }

    override func selfTestOffset() -> (accel: Vector3, gyro: Vector3) {
        let gOn = registers[Self.GYRO_CONFIG] & 0xE0, aOn = registers[Self.ACCEL_CONFIG] & 0xE0
        let gCodes = [gyroTrim.0, gyroTrim.1, gyroTrim.2], aCodes = [accelTrim.0, accelTrim.1, accelTrim.2]
        var g = [0.0, 0, 0], a = [0.0, 0, 0]
        for i in 0..<3 {
            let bit = UInt8(0x80 >> i)
            if model == .mpu6050 {
                // Factory trim: counts at ±250 °/s and ±8 g (the Y gyro deflects negative).
                let ftG = (i == 1 ? -1.0 : 1.0) * 25 * 131 * Double.exp(Double.log(1.046) * (Double(gCodes[i]) - 1))
                let ftA = 4096 * 0.34 * Double.exp(Double.log(0.92 / 0.34) * (Double(aCodes[i]) - 1) / 30)
                if gOn & bit != 0 { g[i] = ftG / 131 }
                if aOn & bit != 0 { a[i] = ftA / 4096 }
            } else {
                // OTP: 2620·1.01^(code−1) counts at ±250 °/s and ±2 g.
                if gOn & bit != 0 { g[i] = 2620 * Double.exp(Double.log(1.01) * (Double(gCodes[i]) - 1)) / 131 }
                if aOn & bit != 0 { a[i] = 2620 * Double.exp(Double.log(1.01) * (Double(aCodes[i]) - 1)) / 16384 }
            }
        }
        return (Vector3(a[0], a[1], a[2]) * standardGravity, Vector3(g[0], g[1], g[2]) / Double.radiansToDegrees)
    }

    override func latch(accel: Vector3, gyro: Vector3) {
        var a: [UInt8] = [], g: [UInt8] = []
        put(accel / standardGravity, perUnit: accelCountsPerG, axisBase: 0, bigEndian: true, into: &a)
        put(gyro * Double.radiansToDegrees, perUnit: gyroCountsPerDPS, axisBase: 3, bigEndian: true, into: &g)
        let temp: [UInt8] = [0x0A, 0x28]  // a constant ~36 °C: temperature is not simulated
        store(a, at: Self.ACCEL_XOUT_H)
        store(temp, at: Self.TEMP_OUT_H)
        store(g, at: Self.GYRO_XOUT_H)
        registers[Self.INT_STATUS] |= 0x01  // DATA_RDY_INT
        if fifoOn {
            // FIFO order follows register order: accel, temp, gyro X, Y, Z.
            let en = registers[Self.FIFO_EN]
            var frame: [UInt8] = []
            if en & 0x08 != 0 { frame += a }
            if en & 0x80 != 0 { frame += temp }
            for i in 0..<3 where en & (0x40 >> UInt8(i)) != 0 { frame += g[(2 * i)...(2 * i + 1)] }
            if !frame.isEmpty {
                fifo.push(frame, dropUnit: 1)
                if fifo.overflowed { registers[Self.INT_STATUS] |= 0x10 }
            }
        }
    }

    override public func readRegister(_ register: UInt8) -> UInt8 {
        switch Int(register) {
        case Self.INT_STATUS:
            let v = registers[Self.INT_STATUS] | (fifo.overflowed ? 0x10 : 0)
            registers[Self.INT_STATUS] = 0
            fifo.overflowed = false
            return v
        case Self.FIFO_COUNTH: return UInt8(fifo.count >> 8)
        case Self.FIFO_COUNTL: return UInt8(fifo.count & 0xFF)
        case Self.FIFO_R_W: return fifo.pop() ?? 0xFF
        default: return registers[Int(register)]
        }
    }

    override public func nextRegister(after register: UInt8) -> UInt8 {
        Int(register) == Self.FIFO_R_W ? register : register &+ 1
    }

    override public func writeRegister(_ register: UInt8, value: UInt8) {
        switch Int(register) {
        case Self.WHO_AM_I, Self.INT_STATUS, Self.FIFO_COUNTH, Self.FIFO_COUNTL:
            return  // read-only
        case Self.PWR_MGMT_1 where value & 0x80 != 0:
            powerOnReset()  // DEVICE_RESET: self-clearing
        case Self.USER_CTRL:
            if value & 0x04 != 0 { fifo.clear() }  // FIFO_RESET: self-clearing
            registers[Self.USER_CTRL] = value & ~0x07
        default:
            registers[Int(register)] = value
            if [Self.SMPLRT_DIV, Self.CONFIG, Self.PWR_MGMT_1].contains(Int(register)) { restartSampling() }
        }
    }
}
