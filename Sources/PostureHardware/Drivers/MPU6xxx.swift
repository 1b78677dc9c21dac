import PostureCore

/// InvenSense MPU-6050, MPU-6500 and MPU-9250 (accel/gyro die): register map and descriptors.
/// Sources: MPU-6000/6050 Register Map rev 4.2, MPU-6500 Register Map rev 2.1, MPU-9250
/// Register Map rev 1.6, AN-MPU-6500A-02 (self-test), Linux drivers/iio/imu/inv_mpu6050.
enum MPU6xxx {
    // Register addresses (decimal in the datasheets; hex here).
    /// MPU-6500/9250: SELF_TEST_X/Y/Z_GYRO, OTP codes of the factory self-test response.
    static let SELF_TEST_X_GYRO: UInt8 = 0x00
    /// MPU-6050: SELF_TEST_X/Y/Z (XA_TEST[4:2] in 7:5, XG_TEST[4:0] in 4:0), then SELF_TEST_A.
    /// MPU-6500/9250: SELF_TEST_X/Y/Z_ACCEL.
    static let SELF_TEST_X: UInt8 = 0x0D
    /// MPU-6050: XA_TEST[1:0] in 5:4, YA_TEST[1:0] in 3:2, ZA_TEST[1:0] in 1:0.
    static let SELF_TEST_A: UInt8 = 0x10
    /// Sample rate = internal rate / (1 + SMPLRT_DIV).
    static let SMPLRT_DIV: UInt8 = 0x19
    /// DLPF_CFG in 2:0 (6050: accel and gyro; 6500: gyro). 6500: FIFO_MODE in bit 6.
    static let CONFIG: UInt8 = 0x1A
    /// XG_ST/YG_ST/ZG_ST in 7:5, FS_SEL in 4:3.
    static let GYRO_CONFIG: UInt8 = 0x1B
    /// XA_ST/YA_ST/ZA_ST in 7:5, AFS_SEL in 4:3.
    static let ACCEL_CONFIG: UInt8 = 0x1C
    /// MPU-6500/9250 only: ACCEL_FCHOICE_B in bit 3, A_DLPF_CFG in 2:0.
    static let ACCEL_CONFIG2: UInt8 = 0x1D
    /// TEMP 7, XG 6, YG 5, ZG 4, ACCEL 3: which outputs go into the FIFO.
    static let FIFO_EN: UInt8 = 0x23
    /// ACTL 7 (active low), OPEN 6 (open drain), LATCH_INT_EN 5, INT_ANYRD_2CLEAR 4.
    static let INT_PIN_CFG: UInt8 = 0x37
    /// FIFO_OFLOW_EN 4, DATA_RDY_EN 0.
    static let INT_ENABLE: UInt8 = 0x38
    /// FIFO_OFLOW_INT 4, DATA_RDY_INT 0; cleared by reading.
    static let INT_STATUS: UInt8 = 0x3A
    /// ACCEL_XOUT_H: accel X/Y/Z, TEMP, gyro X/Y/Z, 16-bit big-endian, 14 bytes.
    static let ACCEL_XOUT_H: UInt8 = 0x3B
    /// FIFO_EN 6, FIFO_RESET 2 (self-clearing), SIG_COND_RESET 0.
    static let USER_CTRL: UInt8 = 0x6A
    /// DEVICE_RESET 7, SLEEP 6, CLKSEL 2:0.
    static let PWR_MGMT_1: UInt8 = 0x6B
    /// STBY_XA..ZG in 5:0; 0 = all axes on.
    static let PWR_MGMT_2: UInt8 = 0x6C
    /// FIFO_COUNTH (then FIFO_COUNTL at 0x73): bytes in the FIFO.
    static let FIFO_COUNTH: UInt8 = 0x72
    /// FIFO_R_W: reads pop the FIFO; bursts stay on this register.
    static let FIFO_R_W: UInt8 = 0x74
    static let WHO_AM_I: UInt8 = 0x75

    // Bit fields.
    static let DEVICE_RESET: UInt8 = 0x80
    static let SLEEP: UInt8 = 0x40
    /// CLKSEL = 1: PLL with the X gyro (better than the internal 8 MHz oscillator).
    static let CLKSEL_PLL: UInt8 = 0x01
    static let SELF_TEST_XYZ: UInt8 = 0xE0
    static let FS_SHIFT: UInt8 = 3
    static let INT_ANYRD_2CLEAR: UInt8 = 0x10
    static let DATA_RDY_EN: UInt8 = 0x01
    static let FIFO_OFLOW_EN: UInt8 = 0x10
    static let FIFO_OFLOW_INT: UInt8 = 0x10
    static let USER_FIFO_EN: UInt8 = 0x40
    static let USER_FIFO_RESET: UInt8 = 0x04
    /// XG | YG | ZG | ACCEL: 12-byte frames, accel first (FIFO order follows register order).
    static let FIFO_EN_ACCEL_GYRO: UInt8 = 0x78

    /// Internal sample rate with DLPF_CFG 1…6 (0 and 7 run the gyro at 8 kHz; never used).
    static let internalRateHz = 1000.0
    /// 14-byte burst: accel (0–5), temperature (6–7), gyro (8–13).
    static let burstBytes = 14

    /// (DLPF_CFG, gyro cut-off Hz, accel cut-off Hz) for the MPU-6050's shared filter.
    static let dlpf6050: [(code: UInt8, gyroHz: Double, accelHz: Double)] = [
        (1, 188, 184), (2, 98, 94), (3, 42, 44), (4, 20, 21), (5, 10, 10), (6, 5, 5),
    ]
    /// (code, cut-off Hz) for the MPU-6500 gyro DLPF_CFG and accel A_DLPF_CFG (MPU-6500
    /// figures; the MPU-9250 sheet lists slightly different accel values, e.g. 21.2 for 20).
    static let dlpf6500: [(code: UInt8, hz: Double)] = [(1, 184), (2, 92), (3, 41), (4, 20), (5, 10), (6, 5)]

    static let accelRanges = zip([2.0, 4, 8, 16], invensenseAccelCountsPerG).enumerated().map {
        RangeOption(fullScale: $0.element.0, code: UInt8($0.offset), countsPerUnit: $0.element.1)
    }
    static let gyroRanges = [
        RangeOption(fullScale: 250, code: 0, countsPerUnit: 131),
        RangeOption(fullScale: 500, code: 1, countsPerUnit: 65.5),
        RangeOption(fullScale: 1000, code: 2, countsPerUnit: 32.8),
        RangeOption(fullScale: 2000, code: 3, countsPerUnit: 16.4),
    ]

    static func descriptor(_ name: String, _ family: ChipFamily, whoAmI: UInt8, fifo: Int) -> ChipDescriptor {
        ChipDescriptor(
            name: name, family: family, identityRegister: WHO_AM_I, identityValue: whoAmI, addresses: [0x68, 0x69],
            byteOrder: .bigEndian, burstLayout: "accel, temp, gyro", accelRanges: accelRanges, gyroRanges: gyroRanges,
            fifoBytes: fifo)
    }
    static let mpu6050 = descriptor("MPU-6050", .mpu6050, whoAmI: 0x68, fifo: 1024)
    static let mpu6500 = descriptor("MPU-6500", .mpu6500, whoAmI: 0x70, fifo: 512)
    static let mpu9250 = descriptor("MPU-9250", .mpu6500, whoAmI: 0x71, fifo: 512)
}

/// Driver for MPU-6050/6500/9250.
public final class MPU6xxxDriver: IMUDriver {
    public let descriptor: ChipDescriptor
    public let address: UInt8
    public private(set) var configuration: IMUConfiguration?
    /// Identical bursts in a row before `read` reports frozen data.
    public var frozenLimit: Int {
        get { frozen.limit }
        set { frozen.limit = max(2, newValue) }
    }

    private let port: RegisterPort
    private let pause: IMUPause
    private let buffer: ByteBuffer
    private var frozen = FrozenDataWatch()
    private var canaries: [Canary] = []
    private var settings: IMUSettings?
    private var is6050: Bool { descriptor.family == .mpu6050 }

    public init(descriptor: ChipDescriptor, bus: any I2CBus, address: UInt8, pause: @escaping IMUPause = realPause) {
        self.descriptor = descriptor
        self.address = address
        self.port = RegisterPort(bus: bus, address: address)
        self.pause = pause
        self.buffer = ByteBuffer(count: max(descriptor.fifoBytes, MPU6xxx.burstBytes))
    }

    @discardableResult
    public func configure(_ requested: IMUSettings) throws(IMUError) -> IMUConfiguration {
        let s = try requested.validated()
        typealias R = MPU6xxx
        try port.set(R.PWR_MGMT_1, R.DEVICE_RESET)
        pause(0.1)  // the reset takes up to 100 ms; registers read 0 meanwhile
        try port.set(R.PWR_MGMT_1, R.CLKSEL_PLL)  // wake (clears SLEEP) on the gyro PLL
        try port.set(R.PWR_MGMT_2, 0)

        let div = UInt8(max(0, min(255, (R.internalRateHz / s.rateHz).rounded() - 1)))
        let rate = R.internalRateHz / (1 + Double(div))
        let accel = nearest(descriptor.accelRanges, to: s.accelRangeG) { $0.fullScale }
        let gyro = nearest(descriptor.gyroRanges, to: s.gyroRangeDPS) { $0.fullScale }
        let config: UInt8
        let accelLPF: Double, gyroLPF: Double
        if is6050 {
            let f = nearestLog(R.dlpf6050, to: s.lowPassHz) { $0.gyroHz }
            config = f.code
            (gyroLPF, accelLPF) = (f.gyroHz, f.accelHz)
            try port.set(R.CONFIG, config)
        } else {
            let g = nearestLog(R.dlpf6500, to: s.lowPassHz) { $0.hz }
            let a = nearestLog(R.dlpf6500, to: s.lowPassHz) { $0.hz }
            config = g.code  // FIFO_MODE 0: when full, the newest data overwrites the oldest
            (gyroLPF, accelLPF) = (g.hz, a.hz)
            try port.set(R.CONFIG, config)
            try port.set(R.ACCEL_CONFIG2, a.code)  // ACCEL_FCHOICE_B = 0: the DLPF is in use
        }
        try port.set(R.SMPLRT_DIV, div)
        try port.set(R.GYRO_CONFIG, gyro.code << R.FS_SHIFT)
        try port.set(R.ACCEL_CONFIG, accel.code << R.FS_SHIFT)

        // INT pin: active high, push-pull, 50 µs pulse per sample, status cleared by any read.
        // A pulse (not a latch) so a missed read never leaves the line stuck high.
        try port.set(R.INT_PIN_CFG, R.INT_ANYRD_2CLEAR)
        let intEnable = R.DATA_RDY_EN | (s.fifoWatermarkFrames != nil ? R.FIFO_OFLOW_EN : 0)
        try port.set(R.INT_ENABLE, intEnable)
        var watermark: Int?
        if let w = s.fifoWatermarkFrames {
            watermark = min(w, ByteFIFO.maximumWatermarkFrames(capacity: descriptor.fifoBytes))
            try port.set(R.FIFO_EN, R.FIFO_EN_ACCEL_GYRO)
            try port.set(R.USER_CTRL, R.USER_FIFO_RESET)
            try port.set(R.USER_CTRL, R.USER_FIFO_EN)
        } else {
            try port.set(R.FIFO_EN, 0)
            try port.set(R.USER_CTRL, 0)
        }

        canaries = [
            Canary(register: R.SMPLRT_DIV, expected: div, powerOn: 0),
            Canary(register: R.CONFIG, expected: config, powerOn: 0),
            Canary(register: R.INT_ENABLE, expected: intEnable, powerOn: 0),
            Canary(register: R.PWR_MGMT_1, expected: R.CLKSEL_PLL, powerOn: is6050 ? R.SLEEP : 0x01),
        ]
        // Read back one register to catch a chip that ignores writes (wrong device, write-protected).
        let back = try port.byte(R.INT_ENABLE)
        if back != intEnable {
            throw .configurationNotApplied(chip: descriptor.name, address: address, register: R.INT_ENABLE, wrote: intEnable, read: back)
        }
        frozen.reset()
        settings = s
        let c = IMUConfiguration(
            rateHz: rate, accelRangeG: accel.fullScale, gyroRangeDPS: gyro.fullScale, accelLowPassHz: accelLPF,
            gyroLowPassHz: gyroLPF, fifoWatermarkFrames: watermark,
            interrupt: DataReadyInterrupt(
                pin: "INT", source: "data ready (no FIFO watermark interrupt on this chip: drain every N edges)",
                activeHigh: true, pushPull: true, mode: .pulse(microseconds: 50)),
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

    /// One 14-byte burst, converted; no frozen-data bookkeeping.
    private func readRaw(_ c: IMUConfiguration) throws(IMUError) -> IMUReading {
        let b = buffer.prefix(MPU6xxx.burstBytes)
        try port.burst(MPU6xxx.ACCEL_XOUT_H, into: b)
        let r = UnsafeRawBufferPointer(b)
        return IMUReading(
            accel: axes(r, 0, .bigEndian, scale: c.accelScale), gyro: axes(r, 8, .bigEndian, scale: c.gyroScale))
    }

    public func read() throws(IMUError) -> IMUReading {
        let c = try requireConfiguration()
        let reading = try readRaw(c)
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
        typealias R = MPU6xxx
        let registers = ByteFIFO.Registers(status: R.INT_STATUS, overflowMask: R.FIFO_OFLOW_INT, countHigh: R.FIFO_COUNTH, data: R.FIFO_R_W)
        if let drained = try ByteFIFO.drain(port, registers, capacity: descriptor.fifoBytes, buffer: buffer, c, into: frames) {
            return drained
        }
        // The newest data overwrote the oldest byte by byte: frame alignment is lost.
        // Start over on a frame boundary and tell the caller samples were dropped.
        try port.set(R.USER_CTRL, R.USER_FIFO_EN | R.USER_FIFO_RESET)
        return FIFODrain(frames: 0, overflowed: true)
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
        typealias R = MPU6xxx
        // Self-test conditions: 1 kHz, ±250 °/s; MPU-6050 ±8 g, MPU-6500 ±2 g (where the trim was taken).
        let accelCode: UInt8 = is6050 ? 2 : 0
        let c = try configure(IMUSettings(rateHz: 1000, accelRangeG: is6050 ? 8 : 2, gyroRangeDPS: 250, lowPassHz: 92))
        let period = 1 / c.rateHz
        pause(0.05)
        let off = try averageReadings(count: 20, period: period, pause: pause) { () throws(IMUError) in try readRaw(c) }
        try port.set(R.GYRO_CONFIG, R.SELF_TEST_XYZ)
        try port.set(R.ACCEL_CONFIG, R.SELF_TEST_XYZ | accelCode << R.FS_SHIFT)
        pause(0.02)  // the self-test deflection settles within ~20 ms
        let on = try averageReadings(count: 20, period: period, pause: pause) { () throws(IMUError) in try readRaw(c) }
        try port.set(R.GYRO_CONFIG, 0)
        try port.set(R.ACCEL_CONFIG, accelCode << R.FS_SHIFT)
        let accelResponse = on.accel - off.accel
        let gyroResponse = on.gyro - off.gyro

        // Response in counts at the self-test full scale, to compare with the factory trim.
        let aCounts = accelResponse / c.accelScale
        let gCounts = gyroResponse / c.gyroScale
        var failures: [String] = []
        let criterion: String
        if is6050 {
            let trim = buffer.prefix(4)
            try port.burst(R.SELF_TEST_X, into: trim)
            criterion = "change from factory trim within ±14%"
            for i in 0..<3 {
                let xg = trim[i] & 0x1F
                let xa = (trim[i] >> 3) & 0x1C | (trim[3] >> (4 - 2 * UInt8(i))) & 0x03
                let ftG = xg == 0 ? 0 : (i == 1 ? -1.0 : 1.0) * 25 * 131 * Double.exp(Double.log(1.046) * (Double(xg) - 1))
                let ftA = xa == 0 ? 0 : 4096 * 0.34 * Double.exp(Double.log(0.92 / 0.34) * (Double(xa) - 1) / 30)
                for (kind, str, ft) in [("accel", aCounts[axis: i], ftA), ("gyro", gCounts[axis: i], ftG)] {
                    let change = ft == 0 ? Double.infinity : (str - ft) / ft
                    if !(abs(change) <= 0.14) {
                        failures.append("\(kind) \(axisNames[i]): \(fmt(change * 100, 1))% from factory trim")
                    }
                }
            }
        } else {
            let gTrim = buffer.slice(0, 3), aTrim = buffer.slice(3, 3)
            try port.burst(R.SELF_TEST_X_GYRO, into: gTrim)
            try port.burst(R.SELF_TEST_X, into: aTrim)
            criterion = "ratio to factory trim: gyro > 0.5, accel 0.5…1.5"
            for i in 0..<3 {
                let gOTP = otpResponse(gTrim[i]), aOTP = otpResponse(aTrim[i])
                let gRatio = gOTP == 0 ? Double.nan : gCounts[axis: i] / gOTP
                let aRatio = aOTP == 0 ? Double.nan : aCounts[axis: i] / aOTP
                // Without a trim code the sheet gives absolute limits: gyro ≥ 60 °/s, accel 225…675 mg.
                let gOK = gOTP == 0 ? abs(gCounts[axis: i]) / 131 >= 60 : gRatio > 0.5
                let aOK = aOTP == 0 ? (225...675).contains(abs(aCounts[axis: i]) / 16.384) : (0.5...1.5).contains(aRatio)
                if !gOK { failures.append("gyro \(axisNames[i]): ratio \(fmt(gRatio, 2))") }
                if !aOK { failures.append("accel \(axisNames[i]): ratio \(fmt(aRatio, 2))") }
            }
        }
        try configure(restore)
        return SelfTestResult(
            passed: failures.isEmpty, accelResponse: accelResponse, gyroResponse: gyroResponse, criterion: criterion,
            failures: failures)
    }
}

/// MPU-6500/9250/ICM-20948 factory self-test response, counts at ±250 °/s or ±2 g:
/// ST_OTP = 2620 · 1.01^(code − 1); code 0 means "not trimmed".
func otpResponse(_ code: UInt8) -> Double {
    code == 0 ? 0 : 2620 * Double.exp(Double.log(1.01) * (Double(code) - 1))
}
