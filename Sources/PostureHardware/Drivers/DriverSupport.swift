#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PostureCore

/// Real-time wait for real hardware: resets and self-tests need milliseconds of settling.
public func realPause(_ seconds: Double) {
    guard seconds > 0, seconds.isFinite else { return }
    var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    // Interrupted by a signal: sleep the rest.
    while nanosleep(&ts, &remaining) != 0 { ts = remaining }
}

/// One chip's registers: wraps bus errors as `IMUError.bus` so drivers throw one type.
struct RegisterPort {
    let bus: any I2CBus
    let address: UInt8

    func byte(_ register: UInt8) throws(IMUError) -> UInt8 {
        do { return try bus.readByte(address: address, register: register) } catch { throw .bus(error) }
    }

    func set(_ register: UInt8, _ value: UInt8) throws(IMUError) {
        do { try bus.write(address: address, register: register, value: value) } catch { throw .bus(error) }
    }

    func burst(_ register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(IMUError) {
        do { try bus.read(address: address, register: register, into: buffer) } catch { throw .bus(error) }
    }

    /// Read-modify-write of the bits in `mask`.
    func update(_ register: UInt8, mask: UInt8, value: UInt8) throws(IMUError) {
        let old = try byte(register)
        try set(register, (old & ~mask) | (value & mask))
    }
}

/// A register the driver wrote and expects to keep its value; reading back the power-on
/// value instead means the chip was reset behind our back (brown-out, hot-plug).
struct Canary: Equatable {
    var register: UInt8
    var expected: UInt8
    var powerOn: UInt8
}

/// Counts consecutive identical raw bursts. A live MEMS sensor always has a few counts
/// of noise, so dozens of bit-identical bursts mean the conversion has stopped.
struct FrozenDataWatch {
    /// The default threshold: at 100 Hz, half a second of identical data.
    static let defaultLimit = 50
    var limit = FrozenDataWatch.defaultLimit
    private var lastHead: UInt64 = 0
    private var lastTail: UInt32 = 0
    private(set) var identical = 0

    /// Feeds a 12-byte burst; returns true once it has repeated `limit` times.
    mutating func feed(_ burst: UnsafeRawBufferPointer) -> Bool {
        let head = burst.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let tail = burst.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        if head == lastHead && tail == lastTail {
            identical += 1
        } else {
            identical = 0
            lastHead = head
            lastTail = tail
        }
        return identical >= limit
    }

    mutating func reset() {
        identical = 0
        lastHead = 0
        lastTail = 0
    }
}

/// A byte buffer allocated once per driver so the sampling path never allocates.
final class ByteBuffer {
    let raw: UnsafeMutableRawBufferPointer
    init(count: Int) {
        raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 16), alignment: 8)
        raw.initializeMemory(as: UInt8.self, repeating: 0)
    }
    deinit { raw.deallocate() }
    func prefix(_ n: Int) -> UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(rebasing: raw[0..<n]) }
    func slice(_ from: Int, _ n: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: raw[from..<(from + n)])
    }
}

@inline(__always) func int16BE(_ b: UnsafeRawBufferPointer, _ o: Int) -> Double {
    Double(Int16(bitPattern: UInt16(b[o]) << 8 | UInt16(b[o + 1])))
}

@inline(__always) func int16LE(_ b: UnsafeRawBufferPointer, _ o: Int) -> Double {
    Double(Int16(bitPattern: UInt16(b[o + 1]) << 8 | UInt16(b[o])))
}

/// Three consecutive 16-bit axes starting at byte `o`.
@inline(__always) func axes(_ b: UnsafeRawBufferPointer, _ o: Int, _ order: ChipDescriptor.ByteOrder, scale: Double) -> Vector3 {
    switch order {
    case .bigEndian: return Vector3(int16BE(b, o) * scale, int16BE(b, o + 2) * scale, int16BE(b, o + 4) * scale)
    case .littleEndian: return Vector3(int16LE(b, o) * scale, int16LE(b, o + 2) * scale, int16LE(b, o + 4) * scale)
    }
}

let degreesToRadians = Double.pi / 180

/// The option whose key is nearest to `target` (ties go to the larger: more headroom).
func nearest<T>(_ options: [T], to target: Double, by key: (T) -> Double) -> T {
    var best = options[0]
    for o in options.dropFirst() {
        let d = abs(key(o) - target), bd = abs(key(best) - target)
        if d < bd || (d == bd && key(o) > key(best)) { best = o }
    }
    return best
}

/// Nearest in ratio rather than difference: rates and cut-offs are judged on a log scale
/// (asking 100 Hz, 104 beats 52 and 208 and 1000/9=111 beats 125).
func nearestLog<T>(_ options: [T], to target: Double, by key: (T) -> Double) -> T {
    var best = options[0]
    for o in options.dropFirst() where abs(Double.log(key(o) / target)) < abs(Double.log(key(best) / target)) {
        best = o
    }
    return best
}

/// Mean of `count` readings, waiting one sample period between them (self-tests average
/// out noise). The frozen-data watch is bypassed: self-test data may legitimately repeat.
func averageReadings(
    count: Int, period: Double, pause: IMUPause, read: () throws(IMUError) -> IMUReading
) throws(IMUError) -> IMUReading {
    var a = Vector3.zero, g = Vector3.zero
    for _ in 0..<count {
        pause(period)
        let r = try read()
        a += r.accel
        g += r.gyro
    }
    return IMUReading(accel: a / Double(count), gyro: g / Double(count))
}

extension Vector3 {
    subscript(axis i: Int) -> Double { i == 0 ? x : (i == 1 ? y : z) }
}

let axisNames = ["x", "y", "z"]
