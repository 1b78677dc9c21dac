public import PostureCore

/// A chip seen through its registers, as `SimulatedI2CBus` drives it.
public protocol SimulatedChip: AnyObject {
    var name: String { get }
    /// Lets simulated time pass: the chip converts samples at its configured rate up to `t`.
    func advance(to t: Double)
    /// One register read, with the chip's side effects (FIFO pop, clear-on-read status).
    func readRegister(_ register: UInt8) -> UInt8
    /// Where a burst read goes next (auto-increment, or staying on a FIFO data register).
    func nextRegister(after register: UInt8) -> UInt8
    func writeRegister(_ register: UInt8, value: UInt8)
    /// Brown-out: every register back to its power-on value, FIFO emptied.
    func powerOnReset()
    /// Frozen conversion: data registers and FIFO stop changing, registers still answer.
    var isFrozen: Bool { get set }
}

/// What a knock, a cracked MEMS element, electrical noise or a tired chip does to the data
/// while the bus is fine.
public enum SimulatedDataFault: Sendable, Equatable {
    case none
    /// Every axis driven past full scale (a knock, a cracked element): counts at the rails.
    case saturated
    /// One conversion in `every` carries `gyro` (rad/s) on top of the motion: EMI, a bit error.
    case gyroSpikes(every: Int, gyro: Vector3)
    /// One conversion in `every` is not made: the data registers keep the previous one and
    /// the FIFO gets nothing.
    case droppedConversions(every: Int)
}

/// The machinery shared by the register-level chips: a register file with power-on values,
/// sampling at the configured rate from a `MotionSource`, deterministic noise, a FIFO.
///
/// Deterministic: the same motion, writes and times give the same bytes.
public class SimulatedRegisterChip: SimulatedChip {
    public let name: String
    public var motion: any MotionSource
    public var isFrozen = false
    /// Bad data from a chip that answers: clipping, spikes, missed conversions.
    public var dataFault = SimulatedDataFault.none
    /// Scales the self-test deflection: 1 is a healthy chip, 0 a dead actuator.
    public var selfTestScale = 1.0
    /// Counts of noise added to each axis (a real chip never repeats a burst bit for bit).
    public var noiseCounts = 1

    var registers: [UInt8]
    let powerOnRegisters: [UInt8]
    var fifo: ByteFIFO
    private(set) var now = 0.0
    private var sampleOrigin = 0.0
    private var samplesSinceOrigin = 0
    private var serial: UInt64 = 0

    init(name: String, motion: any MotionSource, registerCount: Int = 256, powerOn: [Int: UInt8], fifoBytes: Int) {
        self.name = name
        self.motion = motion
        var r = [UInt8](repeating: 0, count: registerCount)
        for (k, v) in powerOn { r[k] = v }
        registers = r
        powerOnRegisters = r
        fifo = ByteFIFO(capacity: fifoBytes)
    }

    /// The register file as the chip holds it (tests check that writes landed).
    public func peek(_ index: Int) -> UInt8 { registers[index] }

    public func powerOnReset() {
        registers = powerOnRegisters
        fifo.clear()
        restartSampling()
    }

    // MARK: hooks for each chip

    /// Current conversion rate, Hz; 0 while asleep or powered down.
    var sampleRateHz: Double { 0 }
    /// Stores one converted sample (data registers, status bits, FIFO).
    func latch(accel: Vector3, gyro: Vector3) {}
    /// The self-test deflection currently enabled, physical units.
    func selfTestOffset() -> (accel: Vector3, gyro: Vector3) { (.zero, .zero) }

    public func readRegister(_ register: UInt8) -> UInt8 { registers[Int(register)] }
    public func nextRegister(after register: UInt8) -> UInt8 { register &+ 1 }
    public func writeRegister(_ register: UInt8, value: UInt8) { registers[Int(register)] = value }

    // MARK: sampling

    /// A rate or power change restarts conversion; the first sample comes one period later.
    func restartSampling() {
        sampleOrigin = now
        samplesSinceOrigin = 0
    }

    public func advance(to t: Double) {
        guard t > now else { return }
        let rate = sampleRateHz
        now = t
        guard rate > 0 else {
            restartSampling()
            return
        }
        let due = Int(((t - sampleOrigin) * rate * (1 + 1e-12)).rounded(.down))
        var k = samplesSinceOrigin + 1
        // Long gaps: only the samples the FIFO could still hold matter; skip the rest.
        let keep = max(4, fifo.capacity / 6 + 2)
        if due - k + 1 > keep {
            let skipped = due - keep + 1 - k
            serial &+= UInt64(skipped)
            if fifoActive { fifo.overflowed = true }
            k += skipped
        }
        while k <= due {
            let ts = sampleOrigin + Double(k) / rate
            if !isFrozen {
                var m = motion.specificForceAndRate(at: ts)
                let st = selfTestOffset()
                m.accel += st.accel * selfTestScale
                m.gyro += st.gyro * selfTestScale
                switch dataFault {
                case .none: latch(accel: m.accel, gyro: m.gyro)
                case .saturated: latch(accel: m.accel * 1_000, gyro: m.gyro * 1_000 + Vector3(1_000, -1_000, 1_000))
                case .gyroSpikes(let every, let spike):
                    latch(accel: m.accel, gyro: serial % UInt64(max(1, every)) == 0 ? m.gyro + spike : m.gyro)
                case .droppedConversions(let every):
                    if serial % UInt64(max(1, every)) != 0 { latch(accel: m.accel, gyro: m.gyro) }
                }
            }
            serial &+= 1
            k += 1
        }
        samplesSinceOrigin = due
    }

    /// Whether the chip's FIFO is currently collecting (for overflow on skipped time).
    var fifoActive: Bool { false }

    /// A physical value as the chip's 16-bit two's-complement count, with noise and saturation.
    func counts(_ value: Double, perUnit: Double, axis: Int) -> Int16 {
        var c = (value * perUnit).rounded()
        if noiseCounts > 0 {
            // splitmix64 of (sample serial, axis): deterministic, uncorrelated between axes.
            var z = serial &* 6 &+ UInt64(axis) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            c += Double(Int(z % UInt64(2 * noiseCounts + 1)) - noiseCounts)
        }
        return Int16(max(-32768, min(32767, c)))
    }

    /// Six axes of counts in the given order and byte order, appended to `out`.
    func put(_ v: Vector3, perUnit: Double, axisBase: Int, bigEndian: Bool, into out: inout [UInt8]) {
        for (i, x) in [v.x, v.y, v.z].enumerated() {
            let c = UInt16(bitPattern: counts(x, perUnit: perUnit, axis: axisBase + i))
            let hi = UInt8(c >> 8), lo = UInt8(c & 0xFF)
            if bigEndian { out += [hi, lo] } else { out += [lo, hi] }
        }
    }

    /// Writes bytes into consecutive registers.
    func store(_ bytes: [UInt8], at register: Int) {
        for (i, b) in bytes.enumerated() { registers[register + i] = b }
    }
}

/// A byte FIFO with a fixed capacity; when full, the oldest `dropUnit` bytes make room
/// (1 for InvenSense, whose frames then lose alignment; a whole frame or entry elsewhere).
struct ByteFIFO {
    let capacity: Int
    private var storage: [UInt8]
    private var head = 0
    private(set) var count = 0
    var overflowed = false
    /// Bytes ever removed (popped or dropped): where the LSM6DS3 FIFO pattern stands.
    private(set) var removed = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage = [UInt8](repeating: 0, count: max(1, capacity))
    }

    mutating func clear() {
        head = 0
        count = 0
        overflowed = false
        removed = 0
    }

    mutating func push(_ bytes: [UInt8], dropUnit: Int) {
        while count + bytes.count > capacity && count > 0 {
            for _ in 0..<min(dropUnit, count) { _ = pop() }
            overflowed = true
        }
        for b in bytes where count < capacity {
            storage[(head + count) % capacity] = b
            count += 1
        }
    }

    mutating func pop() -> UInt8? {
        guard count > 0 else { return nil }
        let b = storage[head]
        head = (head + 1) % capacity
        count -= 1
        removed += 1
        return b
    }
}

extension Double {
    static let radiansToDegrees = 180 / Double.pi
}
