import PostureCore

/// InvenSense ICM-20948 register map (banked). Source: ICM-20948 datasheet DS-000189 rev 1.3,
/// Linux drivers/iio/imu/inv_icm20948 (not upstream; cross-checked with SparkFun's library).
/// The AK09916 magnetometer behind the auxiliary I2C master is not used.
enum ICM20948 {
    /// REG_BANK_SEL, present in every bank: USER_BANK in bits 5:4.
    static let REG_BANK_SEL: UInt8 = 0x7F
    static let BANK_0: UInt8 = 0x00, BANK_1: UInt8 = 0x10, BANK_2: UInt8 = 0x20

    // Bank 0.
    static let WHO_AM_I: UInt8 = 0x00
    /// FIFO_EN 6, I2C_IF_DIS 4, SRAM_RST 2.
    static let USER_CTRL: UInt8 = 0x03
    /// DEVICE_RESET 7, SLEEP 6, LP_EN 5, TEMP_DIS 3, CLKSEL 2:0; power-on 0x41.
    static let PWR_MGMT_1: UInt8 = 0x06
    /// DISABLE_ACCEL 5:3, DISABLE_GYRO 2:0.
    static let PWR_MGMT_2: UInt8 = 0x07
    /// INT1_ACTL 7, INT1_OPEN 6, INT1_LATCH_EN 5, INT_ANYRD_2CLEAR 4.
    static let INT_PIN_CFG: UInt8 = 0x0F
    /// RAW_DATA_0_RDY_EN in bit 0: data ready on INT1.
    static let INT_ENABLE_1: UInt8 = 0x11
    /// FIFO_OVERFLOW_EN 4:0.
    static let INT_ENABLE_2: UInt8 = 0x12
    /// FIFO_OVERFLOW_INT 4:0; cleared by reading.
    static let INT_STATUS_2: UInt8 = 0x1B
    /// ACCEL_XOUT_H: accel X/Y/Z then gyro X/Y/Z (0x33), 16-bit big-endian; temp follows at 0x39.
    static let ACCEL_XOUT_H: UInt8 = 0x2D
    /// ACCEL_FIFO_EN 4, GYRO_Z/Y/X_FIFO_EN 3:1, TEMP_FIFO_EN 0.
    static let FIFO_EN_2: UInt8 = 0x67
    /// FIFO_RESET 4:0: assert then de-assert.
    static let FIFO_RST: UInt8 = 0x68
    /// FIFO_MODE 4:0: 0 stream (overwrite oldest), 1 snapshot (stop when full).
    static let FIFO_MODE: UInt8 = 0x69
    /// FIFO_CNT[12:8] in 4:0, then FIFO_COUNTL at 0x71.
    static let FIFO_COUNTH: UInt8 = 0x70
    static let FIFO_R_W: UInt8 = 0x72

    // Bank 1.
    /// SELF_TEST_X/Y/Z_GYRO at 0x02–0x04, SELF_TEST_X/Y/Z_ACCEL at 0x0E–0x10: OTP trim codes.
    static let SELF_TEST_X_GYRO: UInt8 = 0x02
    static let SELF_TEST_X_ACCEL: UInt8 = 0x0E

    // Bank 2.
    /// Gyro ODR = 1.125 kHz / (1 + GYRO_SMPLRT_DIV).
    static let GYRO_SMPLRT_DIV: UInt8 = 0x00
    /// GYRO_DLPFCFG 5:3, GYRO_FS_SEL 2:1, GYRO_FCHOICE 0.
    static let GYRO_CONFIG_1: UInt8 = 0x01
    /// XGYRO_CTEN/YGYRO_CTEN/ZGYRO_CTEN 5:3 (self-test).
    static let GYRO_CONFIG_2: UInt8 = 0x02
    /// ODR_ALIGN_EN 0: start accel and gyro sampling together.
    static let ODR_ALIGN_EN: UInt8 = 0x09
    /// ACCEL_SMPLRT_DIV[11:8] in 3:0, then ACCEL_SMPLRT_DIV_2 at 0x11 ([7:0]).
    static let ACCEL_SMPLRT_DIV_1: UInt8 = 0x10
    static let ACCEL_SMPLRT_DIV_2: UInt8 = 0x11
    /// ACCEL_DLPFCFG 5:3, ACCEL_FS_SEL 2:1, ACCEL_FCHOICE 0.
    static let ACCEL_CONFIG: UInt8 = 0x14
    /// AX/AY/AZ_ST_EN_REG 4:2 (self-test), DEC3_CFG 1:0.
    static let ACCEL_CONFIG_2: UInt8 = 0x15

    static let DEVICE_RESET: UInt8 = 0x80
    static let SLEEP: UInt8 = 0x40
    /// CLKSEL = 1: best available clock (PLL when the gyro runs).
    static let CLKSEL_AUTO: UInt8 = 0x01
    static let FCHOICE: UInt8 = 0x01
    static let GYRO_CTEN_XYZ: UInt8 = 0x38
    static let ACCEL_ST_EN_XYZ: UInt8 = 0x1C
    static let INT_ANYRD_2CLEAR: UInt8 = 0x10
    static let RAW_DATA_0_RDY_EN: UInt8 = 0x01
    static let FIFO_OVERFLOW_ALL: UInt8 = 0x1F
    static let USER_FIFO_EN: UInt8 = 0x40
    static let FIFO_EN_ACCEL_GYRO: UInt8 = 0x1E

    static let baseRateHz = 1125.0
    /// (DLPFCFG, 3 dB cut-off Hz) with FCHOICE = 1; 7 (361/473 Hz) left out on purpose.
    static let gyroDLPF: [(code: UInt8, hz: Double)] = [
        (0, 196.6), (1, 151.8), (2, 119.5), (3, 51.2), (4, 23.9), (5, 11.6), (6, 5.7),
    ]
    static let accelDLPF: [(code: UInt8, hz: Double)] = [(1, 246.0), (2, 111.4), (3, 50.4), (4, 23.9), (5, 11.5), (6, 5.7)]

    static let descriptor = ChipDescriptor(
        name: "ICM-20948", family: .icm20948, identityRegister: WHO_AM_I, identityValue: 0xEA, addresses: [0x68, 0x69],
        byteOrder: .bigEndian, burstLayout: "accel, gyro, temp", accelRanges: MPU6xxx.accelRanges,
        gyroRanges: MPU6xxx.gyroRanges, fifoBytes: 512)
}

/// Driver for the ICM-20948. The sampling path stays in bank 0; configuration, health
/// canaries in bank 2 and self-test select their bank explicitly and return to bank 0.
public final class ICM20948Driver: IMUDriver {
    public let descriptor: ChipDescriptor
    public let address: UInt8
    public private(set) var configuration: IMUConfiguration?
    public var frozenLimit: Int {
        get { frozen.limit }
        set { frozen.limit = max(2, newValue) }
    }

    private let port: RegisterPort
    private let pause: IMUPause
    private let buffer: ByteBuffer
    private var frozen = FrozenDataWatch()
    private var canaries: [(bank: UInt8, canary: Canary)] = []
    private var settings: IMUSettings?

    public init(descriptor: ChipDescriptor, bus: any I2CBus, address: UInt8, pause: @escaping IMUPause = realPause) {
        self.descriptor = descriptor
        self.address = address
        self.port = RegisterPort(bus: bus, address: address)
        self.pause = pause
        self.buffer = ByteBuffer(count: descriptor.fifoBytes)
    }

    private func bank(_ b: UInt8) throws(IMUError) { try port.set(ICM20948.REG_BANK_SEL, b) }

    @discardableResult
    public func configure(_ requested: IMUSettings) throws(IMUError) -> IMUConfiguration {
        let s = try requested.validated()
        typealias R = ICM20948
        try bank(R.BANK_0)  // after a crash mid-configuration the bank may be anything
        try port.set(R.PWR_MGMT_1, R.DEVICE_RESET)
        pause(0.1)
        try bank(R.BANK_0)
        try port.set(R.PWR_MGMT_1, R.CLKSEL_AUTO)  // wake
        pause(0.04)  // gyro start-up
        try port.set(R.PWR_MGMT_2, 0)

        let div = UInt8(max(0, min(255, (R.baseRateHz / s.rateHz).rounded() - 1)))
        let rate = R.baseRateHz / (1 + Double(div))
        let accel = nearest(descriptor.accelRanges, to: s.accelRangeG) { $0.fullScale }
        let gyro = nearest(descriptor.gyroRanges, to: s.gyroRangeDPS) { $0.fullScale }
        let gLPF = nearestLog(R.gyroDLPF, to: s.lowPassHz) { $0.hz }
        let aLPF = nearestLog(R.accelDLPF, to: s.lowPassHz) { $0.hz }
        let gyroConfig = gLPF.code << 3 | gyro.code << 1 | R.FCHOICE
        try bank(R.BANK_2)
        try port.set(R.GYRO_SMPLRT_DIV, div)
        try port.set(R.GYRO_CONFIG_1, gyroConfig)
        try port.set(R.GYRO_CONFIG_2, 0)
        try port.set(R.ACCEL_SMPLRT_DIV_1, 0)  // same divider for accel (its upper nibble is 0 for div ≤ 255)
        try port.set(R.ACCEL_SMPLRT_DIV_2, div)
        try port.set(R.ACCEL_CONFIG, aLPF.code << 3 | accel.code << 1 | R.FCHOICE)
        try port.set(R.ACCEL_CONFIG_2, 0)
        try port.set(R.ODR_ALIGN_EN, 1)
        try bank(R.BANK_0)

        // INT1: active high, push-pull, 50 µs pulse, cleared by any read.
        try port.set(R.INT_PIN_CFG, R.INT_ANYRD_2CLEAR)
        try port.set(R.INT_ENABLE_1, R.RAW_DATA_0_RDY_EN)
        var watermark: Int?
        if let w = s.fifoWatermarkFrames {
            watermark = min(w, ByteFIFO.maximumWatermarkFrames(capacity: descriptor.fifoBytes))
            try port.set(R.INT_ENABLE_2, R.FIFO_OVERFLOW_ALL)
            try port.set(R.FIFO_EN_2, R.FIFO_EN_ACCEL_GYRO)
            try port.set(R.FIFO_MODE, 0)
            try port.set(R.FIFO_RST, R.FIFO_OVERFLOW_ALL)
            try port.set(R.FIFO_RST, 0)
            try port.set(R.USER_CTRL, R.USER_FIFO_EN)
        } else {
            try port.set(R.INT_ENABLE_2, 0)
            try port.set(R.FIFO_EN_2, 0)
            try port.set(R.USER_CTRL, 0)
        }
        canaries = [
            (R.BANK_0, Canary(register: R.PWR_MGMT_1, expected: R.CLKSEL_AUTO, powerOn: 0x41)),
            (R.BANK_0, Canary(register: R.INT_ENABLE_1, expected: R.RAW_DATA_0_RDY_EN, powerOn: 0)),
            (R.BANK_2, Canary(register: R.GYRO_SMPLRT_DIV, expected: div, powerOn: 0)),
            (R.BANK_2, Canary(register: R.GYRO_CONFIG_1, expected: gyroConfig, powerOn: 0x01)),
        ]
        let back = try port.byte(R.INT_ENABLE_1)
        if back != R.RAW_DATA_0_RDY_EN {
            throw .configurationNotApplied(chip: descriptor.name, address: address, register: R.INT_ENABLE_1, wrote: R.RAW_DATA_0_RDY_EN, read: back)
        }
        frozen.reset()
        settings = s
        let c = IMUConfiguration(
            rateHz: rate, accelRangeG: accel.fullScale, gyroRangeDPS: gyro.fullScale, accelLowPassHz: aLPF.hz,
            gyroLowPassHz: gLPF.hz, fifoWatermarkFrames: watermark,
            interrupt: DataReadyInterrupt(
                pin: "INT1", source: "data ready (FIFO watermark is DMP-only: drain every N edges)", activeHigh: true,
                pushPull: true, mode: .pulse(microseconds: 50)),
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

    private func readRaw(_ c: IMUConfiguration) throws(IMUError) -> IMUReading {
        let b = buffer.prefix(12)
        try port.burst(ICM20948.ACCEL_XOUT_H, into: b)
        let r = UnsafeRawBufferPointer(b)
        return IMUReading(accel: axes(r, 0, .bigEndian, scale: c.accelScale), gyro: axes(r, 6, .bigEndian, scale: c.gyroScale))
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
        typealias R = ICM20948
        let registers = ByteFIFO.Registers(
            status: R.INT_STATUS_2, overflowMask: R.FIFO_OVERFLOW_ALL, countHigh: R.FIFO_COUNTH, data: R.FIFO_R_W)
        if let drained = try ByteFIFO.drain(port, registers, capacity: descriptor.fifoBytes, buffer: buffer, c, into: frames) {
            return drained
        }
        // Stream mode overwrote the oldest bytes; 512 is not a multiple of 12, so re-align.
        try port.set(R.FIFO_RST, R.FIFO_OVERFLOW_ALL)
        try port.set(R.FIFO_RST, 0)
        return FIFODrain(frames: 0, overflowed: true)
    }

    @discardableResult
    public func checkHealth(reconfigure: Bool) throws(IMUError) -> HealthStatus {
        guard let s = settings else {
            throw .notConfigured(chip: descriptor.name, address: address, what: "health check before configure")
        }
        let banked = canaries
        var current: UInt8 = 0xFF
        defer { if current != ICM20948.BANK_0 { try? bank(ICM20948.BANK_0) } }
        return try runHealthCheck(
            chip: descriptor.name, address: address, canaries: banked.map(\.canary), frozen: frozen,
            reconfigure: reconfigure,
            readCanary: { (canary) throws(IMUError) in
                let b = banked.first { $0.canary == canary }?.bank ?? ICM20948.BANK_0
                if b != current {
                    try bank(b)
                    current = b
                }
                return try port.byte(canary.register)
            },
            reconfigureChip: { () throws(IMUError) in
                try configure(s)
                current = ICM20948.BANK_0
            })
    }

    public func selfTest() throws(IMUError) -> SelfTestResult {
        let restore = settings ?? IMUSettings()
        typealias R = ICM20948
        // As for the MPU-6500: ±250 °/s, ±2 g, ~1.1 kHz, where the OTP trim was measured.
        let c = try configure(IMUSettings(rateHz: 1125, accelRangeG: 2, gyroRangeDPS: 250, lowPassHz: 50))
        let period = 1 / c.rateHz
        pause(0.05)
        let off = try averageReadings(count: 20, period: period, pause: pause) { () throws(IMUError) in try readRaw(c) }
        try bank(R.BANK_2)
        try port.set(R.GYRO_CONFIG_2, R.GYRO_CTEN_XYZ)
        try port.set(R.ACCEL_CONFIG_2, R.ACCEL_ST_EN_XYZ)
        try bank(R.BANK_0)
        pause(0.02)
        let on = try averageReadings(count: 20, period: period, pause: pause) { () throws(IMUError) in try readRaw(c) }
        try bank(R.BANK_2)
        try port.set(R.GYRO_CONFIG_2, 0)
        try port.set(R.ACCEL_CONFIG_2, 0)
        try bank(R.BANK_1)
        let gTrim = buffer.slice(0, 3), aTrim = buffer.slice(3, 3)
        try port.burst(R.SELF_TEST_X_GYRO, into: gTrim)
        try port.burst(R.SELF_TEST_X_ACCEL, into: aTrim)
        try bank(R.BANK_0)
        let accelResponse = on.accel - off.accel, gyroResponse = on.gyro - off.gyro
        let aCounts = accelResponse / c.accelScale, gCounts = gyroResponse / c.gyroScale
        var failures: [String] = []
        for i in 0..<3 {
            let gOTP = otpResponse(gTrim[i]), aOTP = otpResponse(aTrim[i])
            let gRatio = gOTP == 0 ? Double.nan : gCounts[axis: i] / gOTP
            let aRatio = aOTP == 0 ? Double.nan : aCounts[axis: i] / aOTP
            if !(gRatio > 0.5) { failures.append("gyro \(axisNames[i]): ratio \(fmt(gRatio, 2))") }
            if !(0.5...1.5).contains(aRatio) { failures.append("accel \(axisNames[i]): ratio \(fmt(aRatio, 2))") }
        }
        try configure(restore)
        return SelfTestResult(
            passed: failures.isEmpty, accelResponse: accelResponse, gyroResponse: gyroResponse,
            criterion: "ratio to factory trim: gyro > 0.5, accel 0.5…1.5", failures: failures)
    }
}
