/// Decides whether the sensor is at rest: both gyroscope and accelerometer stay close
/// to their own low-passed values (so a constant gyroscope bias or any static tilt still
/// counts as rest) for at least `minDuration` seconds, and the low-passed angular rate is
/// within the datasheets' offset range (`restBiasRange`). At rest the low-passed angular rate *is* the gyroscope bias.
struct RestDetector: Sendable {
    private var gyroLowPass = LowPassFilter3()
    private var accelLowPass = LowPassFilter3()
    private var duration = 0.0
    private(set) var isAtRest = false

    /// The low-passed angular rate, rad/s: the bias measurement while at rest.
    var gyroMean: Vector3 { gyroLowPass.output }

    init() {}

    /// - Parameters:
    ///   - accel: specific force, m/s², or `nil` when this sample has no usable accelerometer.
    ///   - c: Butterworth coefficients for `parameters.restFilterTau` at this `dt`.
    @inline(__always)
    mutating func update(
        gyro: Vector3, accel: Vector3?, dt: Double, parameters p: OrientationFilter.Parameters,
        _ c: ButterworthCoefficients
    ) {
        let tau = p.restFilterTau
        let gyroMean = gyroLowPass.step(gyro, dt: dt, tau: tau, c)
        let gyroDeviation = (gyro - gyroMean).squaredNorm
        let clip = p.restBiasRange
        var still = gyroDeviation < p.restThresholdGyro * p.restThresholdGyro
            && abs(gyroMean.x) <= clip && abs(gyroMean.y) <= clip && abs(gyroMean.z) <= clip
        if let accel {
            let accelMean = accelLowPass.step(accel, dt: dt, tau: tau, c)
            still = still && (accel - accelMean).squaredNorm < p.restThresholdAccel * p.restThresholdAccel
        }
        if still {
            duration += dt
            isAtRest = duration >= p.restMinDuration
        } else {
            duration = 0
            isAtRest = false
        }
    }

    mutating func reset() { self = RestDetector() }
}
