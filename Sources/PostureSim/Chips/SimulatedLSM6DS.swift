import PostureCore

/// LSM6DS3 / LSM6DS3TR-C / LSM6DSO at register level: little-endian gyro-then-accel data,
/// FS_XL's non-monotonic codes, GDA/XLDA status, the DS3's untagged word FIFO with its
/// pattern counter (bursts roll 0x3F → 0x3E) or the DSO's tagged 7-byte entries
/// (bursts roll 0x7E → 0x78), ST_XL/ST_G self-test deflection.
public final class SimulatedLSM6DS: SimulatedRegisterChip {
    public enum Model: Sendable {
        case lsm6ds3, lsm6ds3trc, lsm6dso
        var whoAmI: UInt8 { self == .lsm6ds3 ? 0x69 : (self == .lsm6ds3trc ? 0x6A : 0x6C) }
        var name: String { self == .lsm6ds3 ? "LSM6DS3" : (self == .lsm6ds3trc ? "LSM6DS3TR-C" : "LSM6DSO") }
    }
    public let model: Model

    static let WHO_AM_I = 0x0F, CTRL1_XL = 0x10, CTRL2_G = 0x11, CTRL3_C = 0x12, CTRL5_C = 0x14
    static let STATUS_REG = 0x1E, OUTX_L_G = 0x22, OUTX_L_XL = 0x28, OUTZ_H_XL = 0x2D
    static let FIFO_STATUS1 = 0x3A, FIFO_STATUS2 = 0x3B, FIFO_STATUS3 = 0x3C, FIFO_STATUS4 = 0x3D
    // DS3 / TR-C FIFO.
    static let DS3_FIFO_CTRL1 = 0x06, DS3_FIFO_CTRL2 = 0x07, DS3_FIFO_CTRL5 = 0x0A
    static let FIFO_DATA_OUT_L = 0x3E, FIFO_DATA_OUT_H = 0x3F
    // DSO FIFO.
    static let DSO_FIFO_CTRL1 = 0x07, DSO_FIFO_CTRL2 = 0x08, DSO_FIFO_CTRL3 = 0x09, DSO_FIFO_CTRL4 = 0x0A
    static let FIFO_DATA_OUT_TAG = 0x78, FIFO_DATA_OUT_Z_H = 0x7E

    /// Self-test deflection (healthy chip): +0.5 g accel, +300 °/s gyro on each axis, within
    /// the datasheet windows 90…1700 mg and 150…700 °/s.
    public var accelSelfTestG = 0.5
    public var gyroSelfTestDPS = 300.0
    private var overrun = false

    public init(_ model: Model, motion: any MotionSource) {
        self.model = model
        // Capacities rounded down to whole frames/entries: DS3 8 kB, TR-C 4 kB, DSO 3 kB (438 entries).
        let fifo = model == .lsm6ds3 ? 8184 : (model == .lsm6ds3trc ? 4092 : 438 * 7)
        super.init(
            name: model.name, motion: motion, powerOn: [Self.WHO_AM_I: model.whoAmI, Self.CTRL3_C: 0x04],
            fifoBytes: fifo)
    }

    private static let odrHz: [Double] = [0, 12.5, 26, 52, 104, 208, 416, 833, 1660, 3330, 6660]
    private func hz(_ code: UInt8) -> Double { Int(code) < Self.odrHz.count ? Self.odrHz[Int(code)] : 0 }
    private var accelHz: Double { hz(registers[Self.CTRL1_XL] >> 4) }
    private var gyroHz: Double { hz(registers[Self.CTRL2_G] >> 4) }
    override var sampleRateHz: Double { max(accelHz, gyroHz) }

    private var fifoOn: Bool {
        model == .lsm6dso
            ? registers[Self.DSO_FIFO_CTRL4] & 0x07 != 0 && registers[Self.DSO_FIFO_CTRL3] != 0
            : registers[Self.DS3_FIFO_CTRL5] & 0x07 != 0 && registers[Self.DS3_FIFO_CTRL5] & 0x78 != 0
    }
    override var fifoActive: Bool { fifoOn }

    /// mg per count by FS_XL code (00 ±2, 01 ±16, 10 ±4, 11 ±8 g).
    private var accelCountsPerG: Double { 1 / ([0.061, 0.488, 0.122, 0.244][Int((registers[Self.CTRL1_XL] >> 2) & 3)] * 1e-3) }
    private var gyroCountsPerDPS: Double {
        let c2 = registers[Self.CTRL2_G]
        if c2 & 0x02 != 0 { return 1 / 4.375e-3 }  // FS_125
        return 1 / ([8.75, 17.5, 35, 70][Int((c2 >> 2) & 3)] * 1e-3)
    }

    override func selfTestOffset() -> (accel: Vector3, gyro: Vector3) {
        let c5 = registers[Self.CTRL5_C]
        let a: Double = [0, 1, -1, 0][Int(c5 & 3)] * accelSelfTestG
        let g: Double = [0, 1, 0, -1][Int((c5 >> 2) & 3)] * gyroSelfTestDPS
        return (Vector3(a, a, a) * standardGravity, Vector3(g, g, g) / Double.radiansToDegrees)
    }

    override func latch(accel: Vector3, gyro: Vector3) {
        var g: [UInt8] = [], a: [UInt8] = []
        put(gyro * Double.radiansToDegrees, perUnit: gyroCountsPerDPS, axisBase: 3, bigEndian: false, into: &g)
        put(accel / standardGravity, perUnit: accelCountsPerG, axisBase: 0, bigEndian: false, into: &a)
        // A sensor in power-down keeps its last output.
        if gyroHz > 0 {
            store(g, at: Self.OUTX_L_G)
            registers[Self.STATUS_REG] |= 0x02
        }
        if accelHz > 0 {
            store(a, at: Self.OUTX_L_XL)
            registers[Self.STATUS_REG] |= 0x01
        }
        guard fifoOn else { return }
        if model == .lsm6dso {
            fifo.push([0x01 << 3] + g, dropUnit: 7)  // TAG_SENSOR 0x01: gyro
            fifo.push([0x02 << 3] + a, dropUnit: 7)  // 0x02: accel
        } else {
            fifo.push(g + a, dropUnit: 2)  // pattern Gx Gy Gz XLx XLy XLz, oldest words dropped
        }
        if fifo.overflowed {
            overrun = true
            fifo.overflowed = false
        }
    }

    private var fifoWords: Int { model == .lsm6dso ? fifo.count / 7 : fifo.count / 2 }
    private var watermark: Int {
        model == .lsm6dso
            ? Int(registers[Self.DSO_FIFO_CTRL1]) | Int(registers[Self.DSO_FIFO_CTRL2] & 1) << 8
            : Int(registers[Self.DS3_FIFO_CTRL1]) | Int(registers[Self.DS3_FIFO_CTRL2] & 0x0F) << 8
    }

    override public func readRegister(_ register: UInt8) -> UInt8 {
        let r = Int(register)
        switch r {
        case Self.OUTX_L_G...Self.OUTZ_H_XL:
            registers[Self.STATUS_REG] &= r < Self.OUTX_L_XL ? ~0x02 : ~0x01  // data read: DRDY drops
            return registers[r]
        case Self.FIFO_STATUS1:
            return UInt8(fifoWords & 0xFF)
        case Self.FIFO_STATUS2:
            let high = UInt8((fifoWords >> 8) & (model == .lsm6dso ? 0x03 : 0x0F))
            let wtm: UInt8 = fifoWords >= watermark && watermark > 0 ? 0x80 : 0
            let empty: UInt8 = fifo.count == 0 && model != .lsm6dso ? 0x10 : 0
            let v = wtm | (overrun ? 0x40 : 0) | empty | high
            if model == .lsm6dso { overrun = false }  // FIFO_OVR_IA: reported once
            return v
        case Self.FIFO_STATUS3 where model != .lsm6dso:
            return UInt8((fifo.removed / 2) % 6)
        case Self.FIFO_STATUS4 where model != .lsm6dso:
            return 0
        case Self.FIFO_DATA_OUT_L, Self.FIFO_DATA_OUT_H:
            return model == .lsm6dso ? registers[r] : (fifo.pop() ?? 0)
        case Self.FIFO_DATA_OUT_TAG...Self.FIFO_DATA_OUT_Z_H where model == .lsm6dso:
            return fifo.pop() ?? 0
        default:
            return registers[r]
        }
    }

    override public func nextRegister(after register: UInt8) -> UInt8 {
        let r = Int(register)
        if model == .lsm6dso && r == Self.FIFO_DATA_OUT_Z_H { return UInt8(Self.FIFO_DATA_OUT_TAG) }
        if model != .lsm6dso && r == Self.FIFO_DATA_OUT_H { return UInt8(Self.FIFO_DATA_OUT_L) }
        if registers[Self.CTRL3_C] & 0x04 == 0 { return register }  // IF_INC off: no auto-increment
        return register &+ 1
    }

    override public func writeRegister(_ register: UInt8, value: UInt8) {
        let r = Int(register)
        switch r {
        case Self.WHO_AM_I, Self.STATUS_REG, Self.FIFO_STATUS1...Self.FIFO_STATUS4:
            return
        case Self.CTRL3_C where value & 0x01 != 0:
            powerOnReset()  // SW_RESET
            overrun = false
        default:
            registers[r] = value
            if r == Self.CTRL1_XL || r == Self.CTRL2_G { restartSampling() }
            // Leaving FIFO mode (bypass) empties the FIFO and clears the over-run flag.
            let bypass = model == .lsm6dso ? r == Self.DSO_FIFO_CTRL4 : r == Self.DS3_FIFO_CTRL5
            if bypass && value & 0x07 == 0 {
                fifo.clear()
                overrun = false
            }
        }
    }
}
