public import PostureCore

/// What the daemon asks of an IMU. Each driver picks the nearest setting its chip supports
/// and reports what it chose in `IMUConfiguration`.
public struct IMUSettings: Sendable, Equatable {
    /// Output data rate, Hz.
    public var rateHz: Double
    /// Accelerometer full scale, ± g.
    public var accelRangeG: Double
    /// Gyroscope full scale, ± degrees per second.
    public var gyroRangeDPS: Double
    /// Digital low-pass filter cut-off, Hz (for chips where it is settable).
    public var lowPassHz: Double
    /// Batch through the chip's FIFO with this watermark, in frames; `nil` reads the
    /// data registers directly, paced by data-ready.
    public var fifoWatermarkFrames: Int?

    public init(
        rateHz: Double = 100, accelRangeG: Double = 4, gyroRangeDPS: Double = 500,
        lowPassHz: Double = 20, fifoWatermarkFrames: Int? = nil
    ) {
        self.rateHz = rateHz
        self.accelRangeG = accelRangeG
        self.gyroRangeDPS = gyroRangeDPS
        self.lowPassHz = lowPassHz
        self.fifoWatermarkFrames = fifoWatermarkFrames
    }

    /// Rejects values no chip could honour (the nearest-setting search needs finite, positive numbers).
    func validated() throws(IMUError) -> IMUSettings {
        for (name, value) in [("rate", rateHz), ("accel range", accelRangeG), ("gyro range", gyroRangeDPS), ("low-pass", lowPassHz)]
        where !(value.isFinite && value > 0) {
            throw .invalidSettings("\(name) must be a positive number, got \(value)")
        }
        if let w = fifoWatermarkFrames, w < 1 {
            throw .invalidSettings("FIFO watermark must be at least 1 frame, got \(w)")
        }
        return self
    }
}

/// How the chip's interrupt pin was set up, so the daemon can pace on an edge-event line.
public struct DataReadyInterrupt: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// A short pulse per event (each event is one rising edge).
        case pulse(microseconds: Double)
        /// Held until the data (or status) is read: read every event or no new edge comes.
        case latchedUntilRead
    }
    /// The chip pin that carries it: "INT", "INT1".
    public var pin: String
    /// What raises it: "data ready" or "FIFO watermark".
    public var source: String
    public var activeHigh: Bool
    public var pushPull: Bool
    public var mode: Mode

    public var description: String {
        let m: String
        switch mode {
        case .pulse(let us): m = "\(Int(us)) µs pulse"
        case .latchedUntilRead: m = "latched until read"
        }
        return "\(pin): \(source), active \(activeHigh ? "high" : "low"), \(pushPull ? "push-pull" : "open-drain"), \(m)"
    }
}

/// What a driver actually configured: the nearest supported values and the scale factors.
public struct IMUConfiguration: Sendable, Equatable {
    public var rateHz: Double
    public var accelRangeG: Double
    public var gyroRangeDPS: Double
    /// Accelerometer low-pass cut-off, Hz; `nil` when the chip sets it from the rate alone.
    public var accelLowPassHz: Double?
    /// Gyroscope low-pass cut-off, Hz; `nil` when the chip sets it from the rate alone.
    public var gyroLowPassHz: Double?
    public var fifoWatermarkFrames: Int?
    public var interrupt: DataReadyInterrupt
    /// m/s² per count at the chosen full scale.
    public var accelScale: Double
    /// rad/s per count at the chosen full scale.
    public var gyroScale: Double

    public var summary: String {
        func hz(_ v: Double?) -> String { v.map { fmt($0, 1) + " Hz" } ?? "by rate" }
        var s = "\(fmt(rateHz, 1)) Hz, ±\(fmt(accelRangeG, 0)) g, ±\(fmt(gyroRangeDPS, 0)) °/s"
        s += ", LPF accel \(hz(accelLowPassHz)) gyro \(hz(gyroLowPassHz))"
        if let w = fifoWatermarkFrames { s += ", FIFO watermark \(w) frames" }
        return s
    }
}

/// One reading of accelerometer and gyroscope, SI units, sensor frame.
public struct IMUReading: Sendable, Equatable {
    /// Specific force, m/s² (+9.81 along earth-up at rest).
    public var accel: Vector3
    /// Angular rate, rad/s.
    public var gyro: Vector3

    @inlinable public init(accel: Vector3, gyro: Vector3) {
        self.accel = accel
        self.gyro = gyro
    }

    public static let zero = IMUReading(accel: .zero, gyro: .zero)

    /// Stamps the reading as the engine's sample.
    @inlinable public func sample(t: Double, sensor: Int) -> IMUSample {
        IMUSample(t: t, sensor: sensor, accel: accel, gyro: gyro)
    }
}

/// The outcome of draining a FIFO.
public struct FIFODrain: Sendable, Equatable {
    /// Frames written to the caller's buffer.
    public var frames: Int
    /// The chip reported that the FIFO overflowed since the last drain (samples were lost);
    /// the driver has reset the FIFO so the next drain starts on a frame boundary.
    public var overflowed: Bool

    public init(frames: Int, overflowed: Bool) {
        self.frames = frames
        self.overflowed = overflowed
    }
}

/// A self-test verdict with what was measured, so a failure can be judged by a human.
public struct SelfTestResult: Sendable, Equatable {
    public var passed: Bool
    /// Output change with self-test on minus off, m/s², per axis (nil when the chip tests internally).
    public var accelResponse: Vector3?
    /// Output change, rad/s, per axis (nil when the chip tests internally).
    public var gyroResponse: Vector3?
    /// What the response was compared to: "ratio to factory trim 0.5…1.5", "90…1700 mg".
    public var criterion: String
    /// Human lines naming each failing axis and its value.
    public var failures: [String]

    public var description: String {
        var s = passed ? "pass" : "FAIL"
        if let a = accelResponse {
            s += "; accel response \(fmt(a.x / standardGravity * 1000, 0))/\(fmt(a.y / standardGravity * 1000, 0))/\(fmt(a.z / standardGravity * 1000, 0)) mg"
        }
        if let g = gyroResponse {
            let k = 180 / Double.pi
            s += "; gyro response \(fmt(g.x * k, 0))/\(fmt(g.y * k, 0))/\(fmt(g.z * k, 0)) °/s"
        }
        s += " (\(criterion))"
        if !failures.isEmpty { s += ": " + failures.joined(separator: "; ") }
        return s
    }
}

/// What `checkHealth` found.
public enum HealthStatus: Sendable, Equatable {
    case healthy
    /// The chip had lost its configuration (power-on values read back) and was reconfigured.
    case reconfiguredAfterReset
    /// The data had stopped changing and the chip was reset and reconfigured.
    case reconfiguredAfterFrozenData
}

/// The operations the daemon needs from one IMU, whatever the chip.
///
/// A driver is owned by the one thread that samples its bus, like the bus itself,
/// so drivers are classes and not `Sendable`.
public protocol IMUDriver: AnyObject {
    var descriptor: ChipDescriptor { get }
    var address: UInt8 { get }
    /// `nil` until `configure` succeeded.
    var configuration: IMUConfiguration? { get }
    /// Resets the chip and applies the nearest supported settings; reports what was chosen.
    @discardableResult func configure(_ settings: IMUSettings) throws(IMUError) -> IMUConfiguration
    /// Reads all six axes in one burst. Does not allocate. Throws `dataFrozen` once the
    /// burst has come back identical too many times in a row.
    func read() throws(IMUError) -> IMUReading
    /// Drains whole frames from the FIFO into `frames` (at most `frames.count`). Does not allocate.
    func readFIFO(into frames: UnsafeMutableBufferPointer<IMUReading>) throws(IMUError) -> FIFODrain
    /// Runs the chip's self-test, then restores the last configuration.
    func selfTest() throws(IMUError) -> SelfTestResult
    /// Cheap: reads back configuration canaries; on power-on values (brown-out) or frozen
    /// data it reconfigures (or, with `reconfigure: false`, throws `chipReset`/`dataFrozen`).
    @discardableResult func checkHealth(reconfigure: Bool) throws(IMUError) -> HealthStatus
}

extension IMUDriver {
    @discardableResult public func checkHealth() throws(IMUError) -> HealthStatus {
        try checkHealth(reconfigure: true)
    }
}

/// Sleeps (real hardware) or advances simulated time; drivers wait through it for resets and settling.
public typealias IMUPause = (_ seconds: Double) -> Void

func fmt(_ v: Double, _ decimals: Int) -> String {
    guard v.isFinite else { return "\(v)" }
    var p = 1.0
    for _ in 0..<decimals { p *= 10 }
    let r = (abs(v) * p).rounded() / p
    var s = decimals == 0 ? String(Int(r)) : String(r)
    if decimals > 0, let dot = s.firstIndex(of: ".") {
        let have = s.distance(from: dot, to: s.endIndex) - 1
        if have < decimals { s += String(repeating: "0", count: decimals - have) }
    }
    return (v < 0 && r != 0 ? "-" : "") + s
}
