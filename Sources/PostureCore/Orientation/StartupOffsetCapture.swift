/// The gyroscope's zero-rate offset taken straight from the first second after power-up,
/// when it is too large for the bias filter to learn in good time.
///
/// Why: an untrimmed MEMS gyroscope starts with a zero-rate offset of up to ±20 °/s
/// (MPU-6050), ±10 °/s (LSM6DS3). Integrated, 20 °/s tilts the estimate by 20° a second;
/// the accelerometer correction (τ ≈ 3 s) holds the error near offset × τ, tens of degrees,
/// until rest detection has lasted long enough for the bias filter to converge. A wearer
/// is usually still for a moment when the daemon starts; if the first second is still,
/// its mean rate *is* the offset. Offsets within `biasClip` are left to the bias filter,
/// which weighs them against noise properly (and BROAD's already trimmed gyroscopes
/// never reach here).
struct StartupOffsetCapture: Sendable {
    /// Length of the start-up window, s: long enough to average sensor noise and a
    /// heartbeat's worth of sway, short enough to be over before the wearer moves.
    static let duration = 1.0

    private var start: Double?
    private var count = 0
    private var gyro = Vector3.zero
    private var gyroSquared = 0.0
    private var accel = Vector3.zero
    private var accelSquared = 0.0
    /// Whether the window has closed (the offset taken or not).
    private(set) var isDone = false

    /// Adds a sample; when the window closes still, with an offset beyond `biasClip` on
    /// some axis, returns that offset (clipped to `restBiasRange`).
    mutating func add(t: Double, gyro g: Vector3, accel a: Vector3, parameters p: OrientationFilter.Parameters) -> Vector3? {
        guard !isDone else { return nil }
        let t0 = start ?? t
        start = t0
        count += 1
        gyro += g
        gyroSquared += g.squaredNorm
        accel += a
        accelSquared += a.squaredNorm
        guard t - t0 >= Self.duration else { return nil }
        isDone = true
        let n = Double(count)
        let mean = gyro / n
        let gyroRMS = max(0, gyroSquared / n - mean.squaredNorm).squareRoot()
        let accelStd = max(0, accelSquared / n - (accel / n).squaredNorm).squareRoot()
        let still = gyroRMS < p.restThresholdGyro && accelStd < p.restThresholdAccel
        let large = max(abs(mean.x), abs(mean.y), abs(mean.z)) > p.biasClip
        guard still, large else { return nil }
        return mean.clamped(to: p.restBiasRange)
    }
}
