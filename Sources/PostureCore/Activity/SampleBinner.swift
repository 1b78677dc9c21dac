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
        /// Mean vertical (earth-up) specific force over the bin, m/s².
        var verticalForce: Double
        /// Mean earth-up in the sensor frame over the bin (nearly unit).
        var up: Vector3
    }

    private var start: Double?
    private var lastT: Double?
    private var sums = Sums()
    private var count = 0
    /// The last closed bin's means, repeated by empty bins.
    private var previous = Sums(accelNorm: standardGravity, verticalForce: standardGravity, up: Vector3(0, 0, 1))

    private struct Sums: Sendable {
        var accelNorm = 0.0
        var gyroNorm = 0.0
        var verticalForce = 0.0
        var up = Vector3.zero
    }

    /// Seconds since the previous sample (negative if time went backwards), `nil` at first.
    func gap(before t: Double) -> Double? { lastT.map { t - $0 } }

    /// Drops the open bin and starts binning afresh at `t`.
    mutating func restart(at t: Double) {
        start = t
        lastT = t
        sums = Sums()
        count = 0
    }

    /// The next completed bin that ends at or before `t`, if any. Call until `nil`
    /// before `add`ing the sample at `t`.
    mutating func closeBin(before t: Double) -> Bin? {
        guard let s = start, t >= s + GaitAnalyzer.binPeriod else { return nil }
        if count > 0 {
            let n = Double(count)
            previous = Sums(
                accelNorm: sums.accelNorm / n, gyroNorm: sums.gyroNorm / n, verticalForce: sums.verticalForce / n,
                up: sums.up / n)
        }
        start = s + GaitAnalyzer.binPeriod
        sums = Sums()
        count = 0
        return Bin(
            end: s + GaitAnalyzer.binPeriod, accelNorm: previous.accelNorm, gyroNorm: previous.gyroNorm,
            verticalForce: previous.verticalForce, up: previous.up)
    }

    mutating func add(t: Double, accelNorm: Double, gyroNorm: Double, verticalForce: Double, up: Vector3) {
        if start == nil { start = t }
        lastT = t
        sums.accelNorm += accelNorm
        sums.gyroNorm += gyroNorm
        sums.verticalForce += verticalForce
        sums.up += up
        count += 1
    }
}
