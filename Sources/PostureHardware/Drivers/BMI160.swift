import PostureCore

/// Bosch BMI160 register map. Sources: BMI160 datasheet BST-BMI160-DS000 rev 1.0,
/// Bosch BMI160_driver (bmi160.c/bmi160_defs.h), Linux drivers/iio/imu/bmi160.
enum BMI160 {
    /// CHIP_ID: 0xD1.
    static let CHIP_ID: UInt8 = 0x00
    /// PMU_STATUS: acc_pmu_status 5:4, gyr_pmu_status 3:2 (00 suspend, 01 normal).
    static let PMU_STATUS: UInt8 = 0x03
    /// DATA_8: gyro X/Y/Z (0x0C–0x11) then accel X/Y/Z (0x12–0x17), 16-bit little-endian.
    static let DATA_GYR_X_L: UInt8 = 0x0C
    /// STATUS: drdy_acc 7, drdy_gyr 6, gyr_self_test_ok 1.
    static let STATUS: UInt8 = 0x1B
    /// INT_STATUS_1: ffull_int 5, fwm_int 6, drdy_int 4.
    static let INT_STATUS_1: UInt8 = 0x1D
    /// FIFO_LENGTH_0/1: fifo_byte_counter[10:0].
    static let FIFO_LENGTH_0: UInt8 = 0x22
    /// FIFO_DATA: bursts keep popping the FIFO (no address increment).
    static let FIFO_DATA: UInt8 = 0x24
    /// ACC_CONF: acc_us 7, acc_bwp 6:4, acc_odr 3:0; power-on 0x28.
    static let ACC_CONF: UInt8 = 0x40
    /// ACC_RANGE: 0x03 ±2 g, 0x05 ±4 g, 0x08 ±8 g, 0x0C ±16 g; power-on 0x03.
    static let ACC_RANGE: UInt8 = 0x41
    /// GYR_CONF: gyr_bwp 5:4, gyr_odr 3:0; power-on 0x28.
    static let GYR_CONF: UInt8 = 0x42
    /// GYR_RANGE: 0 ±2000 … 4 ±125 °/s.
    static let GYR_RANGE: UInt8 = 0x43
    /// FIFO_CONFIG_0: fifo_water_mark in units of 4 bytes.
    static let FIFO_CONFIG_0: UInt8 = 0x46
    /// FIFO_CONFIG_1: fifo_gyr_en 7, fifo_acc_en 6, fifo_mag_en 5, fifo_header_en 4.
    static let FIFO_CONFIG_1: UInt8 = 0x47
    /// INT_EN_1: int_fwm_en 6, int_ffull_en 5, int_drdy_en 4.
    static let INT_EN_1: UInt8 = 0x51
    /// INT_OUT_CTRL: int1_output_en 3, int1_od 2, int1_lvl 1 (1 = active high), int1_edge_ctrl 0.
    static let INT_OUT_CTRL: UInt8 = 0x53
    /// INT_LATCH: int_latch 3:0 (0 = non-latched: a pulse per event).
    static let INT_LATCH: UInt8 = 0x54
    /// INT_MAP_1: int1_drdy 7, int1_fwm 6, int1_ffull 5.
    static let INT_MAP_1: UInt8 = 0x56
    /// SELF_TEST: gyr_self_test_enable 4, acc_self_test_amp 3, acc_self_test_sign 2, acc_self_test_enable 1:0.
    static let SELF_TEST: UInt8 = 0x6D
    /// CMD: write-only commands.
    static let CMD: UInt8 = 0x7E

    static let CMD_SOFT_RESET: UInt8 = 0xB6
    static let CMD_ACC_NORMAL: UInt8 = 0x11
    static let CMD_GYR_NORMAL: UInt8 = 0x15
    static let CMD_FIFO_FLUSH: UInt8 = 0xB0
    /// Both sensors in normal mode, as PMU_STATUS reports it.
    static let PMU_BOTH_NORMAL: UInt8 = 0x14
    static let INT_DRDY_EN: UInt8 = 0x10
    static let INT_FWM_EN: UInt8 = 0x40
    static let INT1_DRDY: UInt8 = 0x80
    static let INT1_FWM: UInt8 = 0x40
    /// int1_output_en | int1_lvl (active high), push-pull.
    static let INT1_OUT_ACTIVE_HIGH: UInt8 = 0x0A
    static let FIFO_GYR_ACC: UInt8 = 0xC0
    static let FFULL_INT: UInt8 = 0x20
    static let GYR_SELF_TEST_ENABLE: UInt8 = 0x10
    static let GYR_SELF_TEST_OK: UInt8 = 0x02
    /// Bosch's sequence: ACC_CONF 0x2C (1600 Hz, normal), ±8 g, then amp high, sign +/−.
    static let ACC_SELF_TEST_CONF: UInt8 = 0x2C
    static let ACC_SELF_TEST_POSITIVE: UInt8 = 0x0D
    static let ACC_SELF_TEST_NEGATIVE: UInt8 = 0x09
    /// Required |negative − positive| per axis, g (8192 counts at ±8 g).
    static let accSelfTestLimitG = 2.0

    /// ODR code k → 100·2^(k−8) Hz; codes usable by both sensors: 6 (25 Hz) … 12 (1600 Hz).
    static let rates: [(code: UInt8, hz: Double)] = (6...12).map { (UInt8($0), 100 * Double(1 << $0) / 256) }
    /// Filter modes (bwp): cut-off as a fraction of ODR (datasheet tables at 100 Hz: accel
    /// 40.5/20.8/10.1 Hz, gyro 32/16/8 Hz; scaled linearly with ODR, an approximation).
    static let filters: [(bwp: UInt8, accel: Double, gyro: Double)] = [
        (0b010, 0.405, 0.32), (0b001, 0.208, 0.16), (0b000, 0.101, 0.08),
    ]
    static let fifoFrameBytes = 12

    static let descriptor = ChipDescriptor(
        name: "BMI160", family: .bmi160, identityRegister: CHIP_ID, identityValue: 0xD1, addresses: [0x68, 0x69],
        byteOrder: .littleEndian, burstLayout: "gyro, accel",
        accelRanges: zip([(2.0, 0x03), (4, 0x05), (8, 0x08), (16, 0x0C)], invensenseAccelCountsPerG).map {
            RangeOption(fullScale: $0.0.0, code: UInt8($0.0.1), countsPerUnit: $0.1)
        },
        gyroRanges: [(125.0, 4, 262.4), (250, 3, 131.2), (500, 2, 65.6), (1000, 1, 32.8), (2000, 0, 16.4)].map {
            RangeOption(fullScale: $0.0, code: UInt8($0.1), countsPerUnit: $0.2)
        },
        fifoBytes: 1024)
}

/// Driver for the BMI160.
public final class BMI160Driver: IMUDriver {
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
    private var canaries: [Canary] = []
    private var settings: IMUSettings?

    public init(descriptor: ChipDescriptor, bus: any I2CBus, address: UInt8, pause: @escaping IMUPause = realPause) {
        self.descriptor = descriptor
        self.address = address
        self.port = RegisterPort(bus: bus, address: address)
        self.pause = pause
        self.buffer = ByteBuffer(count: descriptor.fifoBytes)
    }

    @discardableResult
    public func configure(_ requested: IMUSettings) throws(IMUError) -> IMUConfiguration {
        let s = try requested.validated()
        typealias R = BMI160
        try port.set(R.CMD, R.CMD_SOFT_RESET)
        pause(0.015)
        // After reset both sensors are suspended: power them up (gyro start-up ≤ 80 ms).
        try port.set(R.CMD, R.CMD_ACC_NORMAL)
        pause(0.005)
        try port.set(R.CMD, R.CMD_GYR_NORMAL)
        pause(0.08)

        let odr = nearestLog(R.rates, to: s.rateHz) { $0.hz }
        let accel = nearest(descriptor.accelRanges, to: s.accelRangeG) { $0.fullScale }
        let gyro = nearest(descriptor.gyroRanges, to: s.gyroRangeDPS) { $0.fullScale }
        let filter = nearestLog(R.filters, to: s.lowPassHz) { $0.accel * odr.hz }
        let accConf = filter.bwp << 4 | odr.code
        try port.set(R.ACC_CONF, accConf)
        try port.set(R.ACC_RANGE, accel.code)
        try port.set(R.GYR_CONF, filter.bwp << 4 | odr.code)
        try port.set(R.GYR_RANGE, gyro.code)

        // INT1: active high, push-pull, non-latched (a short pulse per event).
        try port.set(R.INT_OUT_CTRL, R.INT1_OUT_ACTIVE_HIGH)
        try port.set(R.INT_LATCH, 0)
        var watermark: Int?
        let intEn: UInt8
        if let w = s.fifoWatermarkFrames {
            let frames = min(w, descriptor.fifoBytes / R.fifoFrameBytes - 1)
            watermark = frames
            intEn = R.INT_FWM_EN
            try port.set(R.FIFO_CONFIG_1, R.FIFO_GYR_ACC)  // headerless: 12-byte gyro+accel frames
            try port.set(R.FIFO_CONFIG_0, UInt8(min(255, frames * R.fifoFrameBytes / 4)))
            try port.set(R.CMD, R.CMD_FIFO_FLUSH)
            try port.set(R.INT_MAP_1, R.INT1_FWM)
        } else {
            intEn = R.INT_DRDY_EN
            try port.set(R.FIFO_CONFIG_1, 0)
            try port.set(R.INT_MAP_1, R.INT1_DRDY)
        }
        try port.set(R.INT_EN_1, intEn)
        canaries = [
            Canary(register: R.PMU_STATUS, expected: R.PMU_BOTH_NORMAL, powerOn: 0),
            Canary(register: R.ACC_CONF, expected: accConf, powerOn: 0x28),
            Canary(register: R.INT_EN_1, expected: intEn, powerOn: 0),
        ]
        let back = try port.byte(R.PMU_STATUS)
        if back != R.PMU_BOTH_NORMAL {
            throw .configurationNotApplied(chip: descriptor.name, address: address, register: R.PMU_STATUS, wrote: R.PMU_BOTH_NORMAL, read: back)
        }
        frozen.reset()
        settings = s
        let c = IMUConfiguration(
            rateHz: odr.hz, accelRangeG: accel.fullScale, gyroRangeDPS: gyro.fullScale,
            accelLowPassHz: filter.accel * odr.hz, gyroLowPassHz: filter.gyro * odr.hz, fifoWatermarkFrames: watermark,
            interrupt: DataReadyInterrupt(
                pin: "INT1", source: s.fifoWatermarkFrames == nil ? "data ready" : "FIFO watermark", activeHigh: true,
                pushPull: true, mode: .pulse(microseconds: 312.5)),
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
        try port.burst(BMI160.DATA_GYR_X_L, into: b)
        let r = UnsafeRawBufferPointer(b)
        return IMUReading(accel: axes(r, 6, .littleEndian, scale: accelScale), gyro: axes(r, 0, .littleEndian, scale: gyroScale))
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
        typealias R = BMI160
        // INT_STATUS_1 (0x1D) … FIFO_LENGTH (0x22–0x23) are close: one 7-byte burst gets both.
        let head = buffer.prefix(7)
        try port.burst(R.INT_STATUS_1, into: head)
        let overflowed = head[0] & R.FFULL_INT != 0
        let length = Int(head[5]) | Int(head[6] & 0x07) << 8
        let n = min(length / R.fifoFrameBytes, frames.count, buffer.raw.count / R.fifoFrameBytes)
        guard n > 0 else { return FIFODrain(frames: 0, overflowed: overflowed) }
        let data = buffer.prefix(n * R.fifoFrameBytes)
        try port.burst(R.FIFO_DATA, into: data)
        let r = UnsafeRawBufferPointer(data)
        for i in 0..<n {
            let o = i * R.fifoFrameBytes
            frames[i] = IMUReading(
                accel: axes(r, o + 6, .littleEndian, scale: c.accelScale), gyro: axes(r, o, .littleEndian, scale: c.gyroScale))
        }
        return FIFODrain(frames: n, overflowed: overflowed)
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
        typealias R = BMI160
        try configure(restore)
        try port.set(R.ACC_RANGE, 0x08)
        try port.set(R.ACC_CONF, R.ACC_SELF_TEST_CONF)
        let scale = standardGravity / 4096  // ±8 g
        try port.set(R.SELF_TEST, R.ACC_SELF_TEST_POSITIVE)
        pause(0.05)
        let pos = try readRaw(accelScale: scale, gyroScale: 0)
        try port.set(R.SELF_TEST, R.ACC_SELF_TEST_NEGATIVE)
        pause(0.05)
        let neg = try readRaw(accelScale: scale, gyroScale: 0)
        try port.set(R.SELF_TEST, R.GYR_SELF_TEST_ENABLE)
        pause(0.05)
        let gyroOK = try port.byte(R.STATUS) & R.GYR_SELF_TEST_OK != 0
        try port.set(R.SELF_TEST, 0)
        // Bosch's check: negative minus positive excitation, every axis ≥ 2 g.
        let response = neg.accel - pos.accel
        var failures: [String] = []
        for i in 0..<3 where !(response[axis: i] / standardGravity >= R.accSelfTestLimitG) {
            failures.append("accel \(axisNames[i]): \(fmt(response[axis: i] / standardGravity * 1000, 0)) mg")
        }
        if !gyroOK { failures.append("gyro: gyr_self_test_ok not set") }
        try configure(restore)  // also clears the self-test state with a soft reset
        return SelfTestResult(
            passed: failures.isEmpty, accelResponse: response, gyroResponse: nil,
            criterion: "accel −/+ excitation difference ≥ 2000 mg per axis; gyro built-in test", failures: failures)
    }
}
