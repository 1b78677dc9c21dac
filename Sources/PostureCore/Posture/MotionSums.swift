/// Running sums of one sensor's samples over a stretch of time. Variances come from
/// E[x²] − E[x]²: with values of order 10 and windows of minutes, cancellation stays far
/// below the motion limits. Sums of two stretches add, which is what lets a window be
/// kept as short blocks and any run of blocks be judged without its samples.
struct MotionSums: Sendable {
    var count = 0
    var direction = Vector3.zero
    var accel = Vector3.zero
    var accelSquared = 0.0
    var norm = 0.0
    var gyro = Vector3.zero
    var gyroSquared = 0.0

    mutating func add(accel a: Vector3, direction d: Vector3, gyro g: Vector3) {
        count += 1
        direction += d
        accel += a
        accelSquared += a.squaredNorm
        norm += a.norm
        gyro += g
        gyroSquared += g.squaredNorm
    }

    static func + (a: MotionSums, b: MotionSums) -> MotionSums {
        MotionSums(
            count: a.count + b.count, direction: a.direction + b.direction, accel: a.accel + b.accel,
            accelSquared: a.accelSquared + b.accelSquared, norm: a.norm + b.norm, gyro: a.gyro + b.gyro,
            gyroSquared: a.gyroSquared + b.gyroSquared)
    }

    /// RMS of the angular rate about its mean, rad/s. The mean is removed because it is
    /// mostly gyro bias, which says nothing about the wearer moving.
    var gyroRMS: Double {
        let n = Double(count)
        return max(0, gyroSquared / n - (gyro / n).squaredNorm).squareRoot()
    }

    /// Standard deviation of the acceleration vector about its mean, m/s².
    var accelStd: Double {
        let n = Double(count)
        return max(0, accelSquared / n - (accel / n).squaredNorm).squareRoot()
    }

    /// The worst of the two motion statistics as a fraction of its limit (≤ 1: still enough).
    func motion(sensor: Int, limits: PoseCapture.Limits) -> MotionReading {
        let gyroShare = gyroRMS / limits.maxGyroRMS
        let accelShare = accelStd / limits.maxAccelStd
        return gyroShare >= accelShare
            ? MotionReading(sensor: sensor, measure: .gyroRMS, measured: gyroRMS, allowed: limits.maxGyroRMS)
            : MotionReading(sensor: sensor, measure: .accelStd, measured: accelStd, allowed: limits.maxAccelStd)
    }
}

/// The motion statistic of a stretch that came closest to (or past) its limit.
public struct MotionReading: Sendable, Equatable, Codable {
    public var sensor: Int
    public var measure: PoseMotionMeasure
    public var measured: Double
    public var allowed: Double

    public init(sensor: Int, measure: PoseMotionMeasure, measured: Double, allowed: Double) {
        self.sensor = sensor
        self.measure = measure
        self.measured = measured
        self.allowed = allowed
    }

    /// `measured / allowed`: at most 1 for a still stretch; what "stillest" minimises.
    public var share: Double { measured / allowed }
}

/// The samples of one time slot of a capture window, per sensor.
struct MotionBlock: Sendable {
    /// Which slot of `PoseCapture.blockSeconds` after the window's first sample.
    var slot: Int
    var firstT: Double
    var lastT: Double
    var pelvis = MotionSums()
    var upperLumbar = MotionSums()

    init(slot: Int, t: Double) {
        self.slot = slot
        firstT = t
        lastT = t
    }

    subscript(sensor: Int) -> MotionSums {
        get { sensor == SensorIndex.pelvis ? pelvis : upperLumbar }
        set { if sensor == SensorIndex.pelvis { pelvis = newValue } else { upperLumbar = newValue } }
    }

    /// The sums of a run of blocks as one block (its slot is the first one's).
    static func + (a: MotionBlock, b: MotionBlock) -> MotionBlock {
        var merged = a
        merged.firstT = min(a.firstT, b.firstT)
        merged.lastT = max(a.lastT, b.lastT)
        merged.pelvis = a.pelvis + b.pelvis
        merged.upperLumbar = a.upperLumbar + b.upperLumbar
        return merged
    }
}
