/// The gyroscope's zero-rate offset measured by a body that keeps its pose, for the offsets
/// neither the rest detector nor the bias filter can learn in good time on a real wearer.
///
/// Why: the rest detector (VQF's rule: every sample's rate within 2 °/s of its low-pass for
/// 1.5 s) almost never fires on a person: seated or lying, real wearers' pelvis rates
/// deviate by ~2 °/s at the median (HAPT). While moving, the bias filter trusts at most
/// `biasClip` (2 °/s) of disagreement per step. So an untrimmed chip's offset (up to
/// ±20 °/s, MPU-6050) would stay unlearned and tilt the angles by tens of degrees.
///
/// The physics that still holds: over a window in which the gravity direction in the sensor
/// frame ends where it began, the sensor's net rotation about the two horizontal axes is
/// (nearly) zero, however it fidgeted in between. The window's mean rate about those axes is
/// then the offset, to within `steadyPoseAngle / windowDuration`. Rotation about the
/// vertical (a swivel chair, turning in bed) is invisible to gravity, so only the horizontal
/// part is measured; the vertical part becomes horizontal, and measurable, when the wearer
/// changes pose (lying down, bending).
///
/// Only gross disagreements are acted on (beyond `biasClip` plus the window's own
/// uncertainty): a trimmed gyroscope never reaches here, and finer errors are the bias
/// filter's job.
struct SteadyPoseOffsetCheck: Sendable {
    /// Window length, s: long enough that a fidget's out-and-back rotation averages away
    /// and its quarters (1 s) average over a fidget or two, short enough to fit several
    /// times into a sitting, standing or lying spell (HAPT's last 15–20 s).
    static let windowDuration = 4.0
    /// Largest change of the gravity direction between the window's first and last quarter,
    /// rad: bounds the net horizontal rotation, so the measurement is good to this over
    /// the window (1 °/s for 4° over 4 s), well inside the `biasClip` it must beat. Quarter
    /// means of a fidgeting wearer differ by a few degrees, which this leaves room for.
    static let steadyPoseAngle = 4.0.radians

    private var start: Double?
    private var count = 0
    private var gyro = Vector3.zero
    private var accel = Vector3.zero
    private var accelSquared = 0.0
    private var firstQuarterAccel = Vector3.zero
    private var lastQuarterAccel = Vector3.zero

    /// Adds a sample (with a usable accelerometer). When a window closes steady and its mean
    /// rate disagrees with `bias` about the horizontal axes by more than the bias filter can
    /// absorb, returns the corrected bias (clipped to `restBiasRange`).
    @inline(__always)
    mutating func add(t: Double, gyro g: Vector3, accel a: Vector3, bias: Vector3, parameters p: OrientationFilter.Parameters) -> Vector3? {
        let t0 = start ?? t
        start = t0
        let elapsed = t - t0
        count += 1
        gyro += g
        accel += a
        accelSquared += a.squaredNorm
        let quarter = Self.windowDuration / 4
        if elapsed < quarter { firstQuarterAccel += a } else if elapsed >= 3 * quarter { lastQuarterAccel += a }
        guard elapsed >= Self.windowDuration else { return nil }
        defer { self = SteadyPoseOffsetCheck() }

        let n = Double(count)
        let meanAccel = accel / n
        let accelStd = max(0, accelSquared / n - meanAccel.squaredNorm).squareRoot()
        let first = firstQuarterAccel.squaredNorm, last = lastQuarterAccel.squaredNorm, up2 = meanAccel.squaredNorm
        guard accelStd < p.restThresholdAccel, first > 0, last > 0, up2 > 0 else { return nil }
        let cosine = firstQuarterAccel.dot(lastQuarterAccel) / (first * last).squareRoot()
        guard cosine >= Double.cos(Self.steadyPoseAngle) else { return nil }

        // The disagreement, without its component along gravity (unobservable here).
        let up = meanAccel * (1 / up2.squareRoot())
        let d = gyro / n - bias
        let horizontal = d - up * d.dot(up)
        let limit = p.biasClip + Self.steadyPoseAngle / Self.windowDuration
        guard max(abs(horizontal.x), abs(horizontal.y), abs(horizontal.z)) > limit else { return nil }
        return (bias + horizontal).clamped(to: p.restBiasRange)
    }

    /// Starts a new window (after a gap, or once an offset was taken).
    mutating func reset() { self = SteadyPoseOffsetCheck() }
}
