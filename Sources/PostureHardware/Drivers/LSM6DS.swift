import PostureCore

/// ST LSM6DS3, LSM6DS3TR-C (= LSM6DSL map) and LSM6DSO/LSM6DSOX register map.
/// Sources: LSM6DS3 DocID026899, LSM6DS3TR-C DS12426, LSM6DSO DS12140 datasheets,
/// AN4987/AN5192 (FIFO), Linux drivers/iio/imu/st_lsm6dsx.
enum LSM6DS {
    // Common to the three maps.
    /// INT1_DRDY_XL 0, INT1_DRDY_G 1, INT1_FTH (DSO: INT1_FIFO_TH) 3.
    static let INT1_CTRL: UInt8 = 0x0D
    static let WHO_AM_I: UInt8 = 0x0F
    /// ODR_XL 7:4, FS_XL 3:2; DS3: BW_XL 1:0; TR-C: LPF1_BW_SEL 1; DSO: LPF2_XL_EN 1.
    static let CTRL1_XL: UInt8 = 0x10
    /// ODR_G 7:4, FS_G 3:2, FS_125 1.
    static let CTRL2_G: UInt8 = 0x11
    /// BOOT 7, BDU 6, H_LACTIVE 5, PP_OD 4, SIM 3, IF_INC 2, SW_RESET 0; power-on 0x04.
    static let CTRL3_C: UInt8 = 0x12
    /// DS3: XL_BW_SCAL_ODR 7 (use BW_XL rather than the ODR-derived bandwidth).
    static let CTRL4_C: UInt8 = 0x13
    /// ST_G 3:2 (01 positive, 11 negative), ST_XL 1:0 (01 positive, 10 negative).
    static let CTRL5_C: UInt8 = 0x14
    /// TR-C: LPF2_XL_EN 7, HPCF_XL 6:5. DSO: HPCF_XL 7:5 (LPF2 divider).
    static let CTRL8_XL: UInt8 = 0x17
    /// TDA 2, GDA 1, XLDA 0.
    static let STATUS_REG: UInt8 = 0x1E
    /// OUTX_L_G: gyro X/Y/Z then accel X/Y/Z (OUTX_L_XL 0x28), 16-bit little-endian.
    static let OUTX_L_G: UInt8 = 0x22

    // DS3 / TR-C FIFO (untagged, pattern of 16-bit words: Gx Gy Gz XLx XLy XLz).
    /// FTH[7:0] (threshold in words), then FIFO_CTRL2 FTH high bits (DS3 [11:8], TR-C [10:8]).
    static let DS3_FIFO_CTRL1: UInt8 = 0x06
    static let DS3_FIFO_CTRL2: UInt8 = 0x07
    /// DEC_FIFO_GYRO 5:3, DEC_FIFO_XL 2:0 (001 = no decimation).
    static let DS3_FIFO_CTRL3: UInt8 = 0x08
    /// ODR_FIFO 6:3, FIFO_MODE 2:0 (000 bypass, 110 continuous).
    static let DS3_FIFO_CTRL5: UInt8 = 0x0A
    /// TR-C: DRDY_PULSE_CFG_G, DRDY_PULSED in bit 7 (DS3: this is ORIENT_CFG_G, left alone).
    static let DRDY_PULSE_CFG: UInt8 = 0x0B
    /// FIFO_STATUS1..4: DIFF_FIFO[7:0]; WaterM 7, OVER_RUN 6, FIFO_FULL 5, FIFO_EMPTY 4,
    /// DIFF_FIFO high bits; FIFO_PATTERN[7:0]; FIFO_PATTERN[9:8].
    static let FIFO_STATUS1: UInt8 = 0x3A
    /// FIFO_DATA_OUT_L/H: bursts roll over from 0x3F back to 0x3E.
    static let FIFO_DATA_OUT_L: UInt8 = 0x3E

    // DSO FIFO (tagged 7-byte entries).
    /// WTM[7:0] (watermark in entries), then FIFO_CTRL2 WTM8 in bit 0.
    static let DSO_FIFO_CTRL1: UInt8 = 0x07
    static let DSO_FIFO_CTRL2: UInt8 = 0x08
    /// BDR_GY 7:4, BDR_XL 3:0 (batch rates, same codes as ODR).
    static let DSO_FIFO_CTRL3: UInt8 = 0x09
    /// FIFO_MODE 2:0 (110 continuous).
    static let DSO_FIFO_CTRL4: UInt8 = 0x0A
    /// COUNTER_BDR_REG1: dataready_pulsed in bit 7.
    static let COUNTER_BDR_REG1: UInt8 = 0x0B
    /// FIFO_DATA_OUT_TAG: TAG_SENSOR in 7:3 (0x01 gyro, 0x02 accel), then 6 data bytes; bursts roll over 0x7E → 0x78.
    static let FIFO_DATA_OUT_TAG: UInt8 = 0x78
    static let TAG_GYRO: UInt8 = 0x01
    static let TAG_ACCEL: UInt8 = 0x02

    static let SW_RESET: UInt8 = 0x01
    static let BDU_IF_INC: UInt8 = 0x44
    static let XL_BW_SCAL_ODR: UInt8 = 0x80
    static let INT1_DRDY_G: UInt8 = 0x02
    static let INT1_FTH: UInt8 = 0x08
    static let DRDY_PULSED: UInt8 = 0x80
    static let FIFO_MODE_CONTINUOUS: UInt8 = 0x06
    static let FIFO_NO_DECIMATION: UInt8 = 0x09
    static let OVER_RUN: UInt8 = 0x40
    static let ST_XL_POSITIVE: UInt8 = 0x01
    static let ST_G_POSITIVE: UInt8 = 0x04

    /// (ODR code, Hz) for both sensors; the DSO's 1667/3333/6667 differ by rounding only.
    static let rates: [(code: UInt8, hz: Double)] = [
        (1, 12.5), (2, 26), (3, 52), (4, 104), (5, 208), (6, 416), (7, 833), (8, 1660), (9, 3330), (10, 6660),
    ]
    /// FS_XL codes are not monotonic: 00 ±2 g, 10 ±4 g, 11 ±8 g, 01 ±16 g. 0.061 mg/LSB at ±2 g.
    static let accelRanges = [
        RangeOption(fullScale: 2, code: 0b00, countsPerUnit: 1 / 0.061e-3),
        RangeOption(fullScale: 4, code: 0b10, countsPerUnit: 1 / 0.122e-3),
        RangeOption(fullScale: 8, code: 0b11, countsPerUnit: 1 / 0.244e-3),
        RangeOption(fullScale: 16, code: 0b01, countsPerUnit: 1 / 0.488e-3),
    ]
    /// Gyro code = CTRL2_G bits 3:1 (FS_G and FS_125 together). 8.75 mdps/LSB at ±245 °/s.
    static let gyroRanges = [
        RangeOption(fullScale: 125, code: 0b001, countsPerUnit: 1 / 4.375e-3),
        RangeOption(fullScale: 245, code: 0b000, countsPerUnit: 1 / 8.75e-3),
        RangeOption(fullScale: 500, code: 0b010, countsPerUnit: 1 / 17.5e-3),
        RangeOption(fullScale: 1000, code: 0b100, countsPerUnit: 1 / 35e-3),
        RangeOption(fullScale: 2000, code: 0b110, countsPerUnit: 1 / 70e-3),
    ]

    /// An accelerometer filter choice: cut-off as a fraction of ODR (or fixed Hz), and the bits that select it.
    struct AccelFilter {
        var divisor: Double?  // cut-off = ODR / divisor
        var fixedHz: Double?  // DS3's analog anti-aliasing bandwidths
        var ctrl1Bits: UInt8
        var ctrl8: UInt8
        func hz(odr: Double) -> Double { fixedHz ?? odr / (divisor ?? 2) }
    }
    static let ds3Filters = [(400.0, 0b00), (200, 0b01), (100, 0b10), (50, 0b11)].map {
        AccelFilter(divisor: nil, fixedHz: $0.0, ctrl1Bits: UInt8($0.1), ctrl8: 0)
    }
    /// TR-C: ODR/2 (LPF1), ODR/4 (LPF1_BW_SEL), then LPF2 (LPF2_XL_EN | HPCF_XL): /9, /50, /100, /400.
    static let trcFilters = [
        AccelFilter(divisor: 2, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0),
        AccelFilter(divisor: 4, fixedHz: nil, ctrl1Bits: 0x02, ctrl8: 0),
        AccelFilter(divisor: 9, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0x80 | 0b10 << 5),
        AccelFilter(divisor: 50, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0x80 | 0b00 << 5),
        AccelFilter(divisor: 100, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0x80 | 0b01 << 5),
        AccelFilter(divisor: 400, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0x80 | 0b11 << 5),
    ]
    /// DSO: ODR/2 without LPF2, else LPF2_XL_EN (CTRL1_XL bit 1) with HPCF_XL = /4, /10, /20, /45, /100, /200, /400, /800.
    static let dsoFilters =
        [AccelFilter(divisor: 2, fixedHz: nil, ctrl1Bits: 0, ctrl8: 0)]
        + [4.0, 10, 20, 45, 100, 200, 400, 800].enumerated().map {
            AccelFilter(divisor: $0.element, fixedHz: nil, ctrl1Bits: 0x02, ctrl8: UInt8($0.offset) << 5)
        }

    static func descriptor(_ name: String, _ family: ChipFamily, whoAmI: UInt8, fifo: Int) -> ChipDescriptor {
        ChipDescriptor(
            name: name, family: family, identityRegister: WHO_AM_I, identityValue: whoAmI, addresses: [0x6A, 0x6B],
            byteOrder: .littleEndian, burstLayout: "gyro, accel", accelRanges: accelRanges, gyroRanges: gyroRanges,
            fifoBytes: fifo)
    }
    static let lsm6ds3 = descriptor("LSM6DS3", .lsm6ds3, whoAmI: 0x69, fifo: 8192)
    /// 0x6A is shared by the LSM6DSL and ISM330DLC, which have the same map.
    static let lsm6ds3trc = descriptor("LSM6DS3TR-C", .lsm6ds3, whoAmI: 0x6A, fifo: 4096)
    /// WHO_AM_I cannot tell the DSO from the DSOX; both are driven the same.
    static let lsm6dso = descriptor("LSM6DSO/LSM6DSOX", .lsm6dso, whoAmI: 0x6C, fifo: 3072)
}

/// Driver for LSM6DS3, LSM6DS3TR-C and LSM6DSO/DSOX.
public final class LSM6DSDriver: IMUDriver {
    public let descriptor: ChipDescriptor
    public let address: UInt8
    public private(set) var configuration: IMUConfiguration?
    public var frozenLimit: Int {
        get { frozen.limit }
        set { frozen.limit = max(2, newValue) }
    }

    private enum Variant { case ds3, trc, dso }
    private let variant: Variant
    private let port: RegisterPort
    private let pause: IMUPause
    private let buffer: ByteBuffer
    private var frozen = FrozenDataWatch()
    private var canaries: [Canary] = []
    private var settings: IMUSettings?
    /// DSO: half of a gyro/accel pair carried over to the next drain.
    private var pendingGyro: Vector3?
    private var pendingAccel: Vector3?

    public init(descriptor: ChipDescriptor, bus: any I2CBus, address: UInt8, pause: @escaping IMUPause = realPause) {
        self.descriptor = descriptor
        self.address = address
        self.port = RegisterPort(bus: bus, address: address)
        self.pause = pause
        self.buffer = ByteBuffer(count: descriptor.fifoBytes + 16)
        switch (descriptor.family, descriptor.identityValue) {
        case (.lsm6dso, _): variant = .dso
        case (_, 0x69): variant = .ds3
        default: variant = .trc
        }
    }

    @discardableResult
    public func configure(_ requested: IMUSettings) throws(IMUError) -> IMUConfiguration {
        let s = try requested.validated()
        typealias R = LSM6DS
        try port.set(R.CTRL3_C, R.SW_RESET)
        pause(0.01)  // software reset: tens of µs; the margin is cheap
        try port.set(R.CTRL3_C, R.BDU_IF_INC)  // block data update: no torn high/low bytes

        let odr = nearestLog(R.rates, to: s.rateHz) { $0.hz }
        let accel = nearest(descriptor.accelRanges, to: s.accelRangeG) { $0.fullScale }
        let gyro = nearest(descriptor.gyroRanges, to: s.gyroRangeDPS) { $0.fullScale }
        let filters = variant == .ds3 ? R.ds3Filters : (variant == .trc ? R.trcFilters : R.dsoFilters)
        let filter = nearestLog(filters, to: s.lowPassHz) { $0.hz(odr: odr.hz) }
        if variant == .ds3 { try port.set(R.CTRL4_C, R.XL_BW_SCAL_ODR) }
        try port.set(R.CTRL8_XL, filter.ctrl8)
        let ctrl1 = odr.code << 4 | accel.code << 2 | filter.ctrl1Bits
        let ctrl2 = odr.code << 4 | gyro.code << 1
        try port.set(R.CTRL1_XL, ctrl1)
        try port.set(R.CTRL2_G, ctrl2)

        var watermark: Int?
        let int1: UInt8
        if let w = s.fifoWatermarkFrames {
            int1 = R.INT1_FTH
            switch variant {
            case .ds3, .trc:
                let words = min(w, descriptor.fifoBytes / 12 - 1) * 6
                watermark = words / 6
                try port.set(R.DS3_FIFO_CTRL5, 0)  // bypass first: empties the FIFO
                try port.set(R.DS3_FIFO_CTRL1, UInt8(words & 0xFF))
                try port.set(R.DS3_FIFO_CTRL2, UInt8((words >> 8) & (variant == .ds3 ? 0x0F : 0x07)))
                try port.set(R.DS3_FIFO_CTRL3, R.FIFO_NO_DECIMATION)
                try port.set(R.DS3_FIFO_CTRL5, odr.code << 3 | R.FIFO_MODE_CONTINUOUS)
            case .dso:
                let entries = min(w, 255) * 2  // WTM is 9 bits of entries; two entries per frame
                watermark = entries / 2
                try port.set(R.DSO_FIFO_CTRL4, 0)
                try port.set(R.DSO_FIFO_CTRL1, UInt8(entries & 0xFF))
                try port.set(R.DSO_FIFO_CTRL2, UInt8((entries >> 8) & 0x01))
                try port.set(R.DSO_FIFO_CTRL3, odr.code << 4 | odr.code)
                try port.set(R.DSO_FIFO_CTRL4, R.FIFO_MODE_CONTINUOUS)
            }
        } else {
            int1 = R.INT1_DRDY_G
        }
        // INT1 active high, push-pull (CTRL3_C defaults). The DS3 has no pulsed data-ready:
        // its DRDY stays high until the data is read.
        if variant != .ds3 { try port.set(variant == .dso ? R.COUNTER_BDR_REG1 : R.DRDY_PULSE_CFG, R.DRDY_PULSED) }
        try port.set(R.INT1_CTRL, int1)
        canaries = [
            Canary(register: R.CTRL1_XL, expected: ctrl1, powerOn: 0),
            Canary(register: R.CTRL2_G, expected: ctrl2, powerOn: 0),
            Canary(register: R.CTRL3_C, expected: R.BDU_IF_INC, powerOn: 0x04),
            Canary(register: R.INT1_CTRL, expected: int1, powerOn: 0),
        ]
        let back = try port.byte(R.CTRL1_XL)
        if back != ctrl1 {
            throw .configurationNotApplied(chip: descriptor.name, address: address, register: R.CTRL1_XL, wrote: ctrl1, read: back)
        }
        frozen.reset()
        pendingGyro = nil
        pendingAccel = nil
        settings = s
        let pulsed = variant != .ds3 && s.fifoWatermarkFrames == nil
        let c = IMUConfiguration(
            rateHz: odr.hz, accelRangeG: accel.fullScale, gyroRangeDPS: gyro.fullScale,
            accelLowPassHz: filter.hz(odr: odr.hz), gyroLowPassHz: nil, fifoWatermarkFrames: watermark,
            interrupt: DataReadyInterrupt(
                pin: "INT1", source: s.fifoWatermarkFrames == nil ? "gyro data ready" : "FIFO watermark",
                activeHigh: true, pushPull: true, mode: pulsed ? .pulse(microseconds: 75) : .latchedUntilRead),
            accelScale: standardGravity / accel.countsPerUnit, gyroScale: degreesToRadians / gyro.countsPerUnit)
        configuration = c
        return c
    }

    private func requireConfiguration() throws(IMUError) -> IMUConfiguration {
        guard let c = configuration else {
            throw .notConfigured(chip: descriptor.name, address: address, what: "read before configure")
        }
        return c
    }

    private func readRaw(accelScale: Double, gyroScale: Double) throws(IMUError) -> IMUReading {
        let b = buffer.prefix(12)
        try port.burst(LSM6DS.OUTX_L_G, into: b)
        let r = UnsafeRawBufferPointer(b)
        return IMUReading(
            accel: axes(r, 6, .littleEndian, scale: accelScale), gyro: axes(r, 0, .littleEndian, scale: gyroScale))
    }

    public func read() throws(IMUError) -> IMUReading {
        let c = try requireConfiguration()
        let reading = try readRaw(accelScale: c.accelScale, gyroScale: c.gyroScale)
        if frozen.feed(UnsafeRawBufferPointer(buffer.prefix(12))) {
            throw .dataFrozen(chip: descriptor.name, address: address, identicalReads: frozen.identical)
        }
        return reading
    }

    public func readFIFO(into frames: UnsafeMutableBufferPointer<IMUReading>) throws(IMUError) -> FIFODrain {
        let c = try requireConfiguration()
        guard c.fifoWatermarkFrames != nil else {
            throw .notConfigured(chip: descriptor.name, address: address, what: "FIFO not enabled (no watermark configured)")
        }
        return variant == .dso ? try drainTagged(frames, c) : try drainPattern(frames, c)
    }

    /// DS3/TR-C: words in a fixed Gx Gy Gz XLx XLy XLz pattern; FIFO_PATTERN says where the next word falls.
    private func drainPattern(_ frames: UnsafeMutableBufferPointer<IMUReading>, _ c: IMUConfiguration) throws(IMUError) -> FIFODrain {
        typealias R = LSM6DS
        let st = buffer.prefix(4)
        try port.burst(R.FIFO_STATUS1, into: st)
        var words = Int(st[0]) | Int(st[1] & (variant == .ds3 ? 0x0F : 0x07)) << 8
        let overrun = st[1] & R.OVER_RUN != 0
        let pattern = Int(st[2]) | Int(st[3] & 0x03) << 8
        if overrun {
            // Continuous mode keeps going, but the oldest words are gone; re-arm so the
            // over-run flag clears, and report the loss.
            try port.set(R.DS3_FIFO_CTRL5, 0)
            let odr = c.rateHz
            let code = nearestLog(R.rates, to: odr) { $0.hz }.code
            try port.set(R.DS3_FIFO_CTRL5, code << 3 | R.FIFO_MODE_CONTINUOUS)
            return FIFODrain(frames: 0, overflowed: true)
        }
        if pattern != 0 {
            // Mid-frame: drop the rest of this pattern so parsing starts on a gyro X word.
            let skip = min(6 - pattern, words)
            if skip > 0 { try port.burst(R.FIFO_DATA_OUT_L, into: buffer.prefix(skip * 2)) }
            words -= skip
        }
        let n = min(words / 6, frames.count, buffer.raw.count / 12)
        guard n > 0 else { return FIFODrain(frames: 0, overflowed: false) }
        let data = buffer.prefix(n * 12)
        try port.burst(R.FIFO_DATA_OUT_L, into: data)
        let r = UnsafeRawBufferPointer(data)
        for i in 0..<n {
            frames[i] = IMUReading(
                accel: axes(r, i * 12 + 6, .littleEndian, scale: c.accelScale),
                gyro: axes(r, i * 12, .littleEndian, scale: c.gyroScale))
        }
        return FIFODrain(frames: n, overflowed: false)
    }

    /// DSO: tagged entries; gyro and accel arrive as separate entries and are paired in order.
    private func drainTagged(_ frames: UnsafeMutableBufferPointer<IMUReading>, _ c: IMUConfiguration) throws(IMUError) -> FIFODrain {
        typealias R = LSM6DS
        let st = buffer.prefix(2)
        try port.burst(R.FIFO_STATUS1, into: st)
        let entries = Int(st[0]) | Int(st[1] & 0x03) << 8
        let overrun = st[1] & R.OVER_RUN != 0
        let pendingHalf = (pendingGyro != nil || pendingAccel != nil) ? 1 : 0
        let want = min(entries, frames.count * 2 - pendingHalf, buffer.raw.count / 7)
        guard want > 0 else { return FIFODrain(frames: 0, overflowed: overrun) }
        let data = buffer.prefix(want * 7)
        try port.burst(R.FIFO_DATA_OUT_TAG, into: data)
        let r = UnsafeRawBufferPointer(data)
        var n = 0
        for e in 0..<want {
            let o = e * 7
            switch r[o] >> 3 {
            case R.TAG_GYRO: pendingGyro = axes(r, o + 1, .littleEndian, scale: c.gyroScale)
            case R.TAG_ACCEL: pendingAccel = axes(r, o + 1, .littleEndian, scale: c.accelScale)
            default: continue  // temperature, timestamp, sensor-hub entries: not batched by us
            }
            if let g = pendingGyro, let a = pendingAccel, n < frames.count {
                frames[n] = IMUReading(accel: a, gyro: g)
                n += 1
                pendingGyro = nil
                pendingAccel = nil
            }
        }
        return FIFODrain(frames: n, overflowed: overrun)
    }

    @discardableResult
    public func checkHealth(reconfigure: Bool) throws(IMUError) -> HealthStatus {
        guard let s = settings else {
            throw .notConfigured(chip: descriptor.name, address: address, what: "health check before configure")
        }
        return try runHealthCheck(
            chip: descriptor.name, address: address, canaries: canaries, frozen: frozen, reconfigure: reconfigure,
            readCanary: { (canary) throws(IMUError) in try port.byte(canary.register) },
            reconfigureChip: { () throws(IMUError) in try configure(s) })
    }

    public func selfTest() throws(IMUError) -> SelfTestResult {
        let restore = settings ?? IMUSettings()
        typealias R = LSM6DS
        try configure(restore)  // a clean reset; then the datasheet's self-test conditions
        try port.set(R.INT1_CTRL, 0)
        // Accelerometer: 52 Hz, ±4 g; average 5 samples off and on.
        let aScale = standardGravity * 0.122e-3, gScale = degreesToRadians * 70e-3
        try port.set(R.CTRL2_G, 0)
        try port.set(R.CTRL1_XL, 3 << 4 | 0b10 << 2)
        pause(0.1)
        let aOff = try averageReadings(count: 5, period: 1 / 52.0, pause: pause) { () throws(IMUError) in
            try readRaw(accelScale: aScale, gyroScale: gScale)
        }
        try port.set(R.CTRL5_C, R.ST_XL_POSITIVE)
        pause(0.1)
        let aOn = try averageReadings(count: 5, period: 1 / 52.0, pause: pause) { () throws(IMUError) in
            try readRaw(accelScale: aScale, gyroScale: gScale)
        }
        try port.set(R.CTRL5_C, 0)
        // Gyroscope: 208 Hz, ±2000 °/s.
        try port.set(R.CTRL1_XL, 0)
        try port.set(R.CTRL2_G, 5 << 4 | 0b110 << 1)
        pause(0.15)
        let gOff = try averageReadings(count: 5, period: 1 / 208.0, pause: pause) { () throws(IMUError) in
            try readRaw(accelScale: aScale, gyroScale: gScale)
        }
        try port.set(R.CTRL5_C, R.ST_G_POSITIVE)
        pause(0.05)
        let gOn = try averageReadings(count: 5, period: 1 / 208.0, pause: pause) { () throws(IMUError) in
            try readRaw(accelScale: aScale, gyroScale: gScale)
        }
        try port.set(R.CTRL5_C, 0)

        let accelResponse = aOn.accel - aOff.accel, gyroResponse = gOn.gyro - gOff.gyro
        let accelLimits = variant == .dso ? 50.0...1700 : 90.0...1700  // mg
        let gyroLimits = 150.0...700  // °/s at ±2000 °/s
        var failures: [String] = []
        for i in 0..<3 {
            let mg = abs(accelResponse[axis: i]) / standardGravity * 1000
            let dps = abs(gyroResponse[axis: i]) / degreesToRadians
            if !accelLimits.contains(mg) { failures.append("accel \(axisNames[i]): \(fmt(mg, 0)) mg") }
            if !gyroLimits.contains(dps) { failures.append("gyro \(axisNames[i]): \(fmt(dps, 0)) °/s") }
        }
        try configure(restore)
        return SelfTestResult(
            passed: failures.isEmpty, accelResponse: accelResponse, gyroResponse: gyroResponse,
            criterion: "accel \(Int(accelLimits.lowerBound))…1700 mg, gyro 150…700 °/s", failures: failures)
    }
}
