/// Averages samples arriving at any rate into consecutive bins of
/// `GaitAnalyzer.binPeriod` seconds, so the classifier runs at one fixed rate.
/// An empty bin (sensor slower than the bin rate) repeats the previous bin's values.
struct SampleBinner: Sendable {
    struct Bin: Sendable {
        /// End time of the bin, seconds.
        var end: Double
        /// Mean |accel| over the bin, m/s².
        var accelNorm: Double
        /// Mean |gyro| over the bin, rad/s.
        var gyroNorm: Double
    }

    private var start: Double?
    private var lastT: Double?
    private var accelSum = 0.0
    private var gyroSum = 0.0
    private var count = 0
    private var previousAccel = standardGravity
    private var previousGyro = 0.0

    /// Seconds since the previous sample (negative if time went backwards), `nil` at first.
    func gap(before t: Double) -> Double? { lastT.map { t - $0 } }

    /// Drops the open bin and starts binning afresh at `t`.
    mutating func restart(at t: Double) {
        start = t
        lastT = t
        accelSum = 0
        gyroSum = 0
        count = 0
    }

    /// The next completed bin that ends at or before `t`, if any. Call until `nil`
    /// before `add`ing the sample at `t`.
    mutating func closeBin(before t: Double) -> Bin? {
        guard let s = start, t >= s + GaitAnalyzer.binPeriod else { return nil }
        if count > 0 {
            previousAccel = accelSum / Double(count)
            previousGyro = gyroSum / Double(count)
        }
        start = s + GaitAnalyzer.binPeriod
        accelSum = 0
        gyroSum = 0
        count = 0
        return Bin(end: s + GaitAnalyzer.binPeriod, accelNorm: previousAccel, gyroNorm: previousGyro)
    }

    mutating func add(t: Double, accelNorm: Double, gyroNorm: Double) {
        if start == nil { start = t }
        lastT = t
        accelSum += accelNorm
        gyroSum += gyroNorm
        count += 1
    }
}
