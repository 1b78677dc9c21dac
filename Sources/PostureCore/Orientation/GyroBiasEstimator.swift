/// Gyroscope bias estimation with a small Kalman filter (the scheme of VQF, Laidig & Seel
/// 2022), used in two ways:
///
/// - **At rest** the low-passed angular rate measures the bias directly (all three axes).
/// - **In motion** the accelerometer's inclination correction tells how far the integrated
///   gyroscope drifted about the two horizontal earth axes. Divided by `dt`, that correction
///   is an angular-rate error in the earth frame, explained by the bias rotated into the
///   earth frame (`R b`). Because the correction comes out of the accelerometer low-pass,
///   the same low-pass is applied to `R` and to `R b` so that measurement and model are
///   delayed alike. The vertical earth axis is unobservable from gravity; a very large
///   measurement noise there just lets its uncertainty slowly grow back.
///
/// State and covariance are in rad/s and (rad/s)².
struct GyroBiasEstimator: Sendable {
    private(set) var bias = Vector3.zero
    private(set) var covariance = Matrix3.zero
    private var rotationLowPass0 = LowPassFilter3()
    private var rotationLowPass1 = LowPassFilter3()
    private var rotationLowPass2 = LowPassFilter3()
    private var earthBiasLowPass = LowPassFilter3()

    /// The rate at which the state forgets (process noise): the variance grows from
    /// zero to `forgettingSigma²` in `biasForgettingTime` seconds (VQF's choice).
    static let forgettingSigma = 0.1.radians

    // Constants derived once from the parameters (per-sample code then only multiplies).
    /// Initial (and largest) variance, (rad/s)².
    private let initialVariance: Double
    /// Process noise per second: the variance added per sample is this times dt.
    private let processNoiseRate: Double
    /// Measurement noise variances (see `measurementNoise`): `w = variance + k / dt`.
    private let restVariance: Double, restNoisePerRate: Double
    private let motionVariance: Double, motionNoisePerRate: Double
    private let verticalNoiseScale: Double

    init(parameters p: OrientationFilter.Parameters) {
        initialVariance = p.biasSigmaInit * p.biasSigmaInit
        processNoiseRate = Self.forgettingSigma * Self.forgettingSigma / p.biasForgettingTime
        // A scalar Kalman filter with process noise v per step and measurement noise w reaches
        // the steady-state variance P when w = P²/v + P: choose w so that P is the configured
        // sigma² (at rest, in motion) whatever the sample rate, as v = processNoiseRate·dt.
        restVariance = p.biasSigmaRest * p.biasSigmaRest
        restNoisePerRate = restVariance * restVariance / processNoiseRate
        motionVariance = p.biasSigmaMotion * p.biasSigmaMotion
        motionNoisePerRate = motionVariance * motionVariance / processNoiseRate
        verticalNoiseScale = 1 / max(p.biasVerticalForgettingFactor, 1e-10)
        covariance = .scaledIdentity(initialVariance)
    }

    /// Takes `offset` as the bias, known as well as a rest measurement makes it
    /// (`StartupOffsetCapture`).
    mutating func adopt(_ offset: Vector3, parameters p: OrientationFilter.Parameters) {
        adopt(offset, sigma: p.biasSigmaRest)
    }

    /// Takes `offset` as the bias, known to `sigma` (1σ, rad/s) on each axis.
    mutating func adopt(_ offset: Vector3, sigma: Double) {
        bias = offset
        covariance = .scaledIdentity(sigma * sigma)
    }

    /// Keeps the bias and its covariance but forgets the low-pass history (after a gap).
    mutating func restartLowPass() {
        rotationLowPass0.reset()
        rotationLowPass1.reset()
        rotationLowPass2.reset()
        earthBiasLowPass.reset()
    }

    /// Grows the covariance as if `duration` seconds passed without measurements.
    @inline(__always)
    mutating func predict(duration: Double) {
        let v = processNoiseRate * duration
        // Only up to the initial uncertainty: the bias is never less known than at power-up.
        if covariance.r0.x < initialVariance { covariance.r0.x = min(covariance.r0.x + v, initialVariance) }
        if covariance.r1.y < initialVariance { covariance.r1.y = min(covariance.r1.y + v, initialVariance) }
        if covariance.r2.z < initialVariance { covariance.r2.z = min(covariance.r2.z + v, initialVariance) }
    }

    /// One step, after the inclination correction of this sample.
    /// - Parameters:
    ///   - orientation: the corrected sensor-to-earth orientation.
    ///   - correctionEarthUp: the low-passed accelerometer direction in the earth frame just
    ///     *before* the correction (unit); its horizontal part is the correction angle.
    ///     `nil` when the sample had no usable accelerometer.
    ///   - inclinationSettled: whether the accelerometer low-pass is past its warm-up.
    ///   - restGyroMean: the rest detector's low-passed angular rate, used when `atRest`.
    ///   - c: Butterworth coefficients of `tauAccel` at this `dt`.
    @inline(__always)
    mutating func update(
        orientation: Quaternion, correctionEarthUp: Vector3?, dt: Double, inverseDt: Double,
        inclinationSettled: Bool, atRest: Bool, restGyroMean: Vector3, parameters p: OrientationFilter.Parameters, _ c: ButterworthCoefficients
    ) {
        predict(duration: dt)
        guard let up = correctionEarthUp else { return }

        // Model and its low-pass, always kept running so they are ready when motion starts.
        var r = Matrix3(rotation: orientation)
        let earthBias = r * bias
        let tau = p.tauAccel
        r = Matrix3(
            rotationLowPass0.step(r.r0, dt: dt, tau: tau, c),
            rotationLowPass1.step(r.r1, dt: dt, tau: tau, c),
            rotationLowPass2.step(r.r2, dt: dt, tau: tau, c))
        let earthBiasLp = earthBiasLowPass.step(earthBias, dt: dt, tau: tau, c)

        // Measurement model y = H b + noise, innovation e = y - H b, noise variances w.
        let h: Matrix3
        var e: Vector3
        let w: Vector3
        if atRest && p.restBiasEstimation {
            h = .identity
            e = restGyroMean - bias
            let wRest = restVariance + restNoisePerRate * inverseDt
            w = Vector3(wRest, wRest, wRest)
        } else if p.motionBiasEstimation && inclinationSettled {
            // (While the accelerometer low-pass is still averaging its first `tauAccel`
            // seconds, corrections fix the initial inclination, not gyroscope drift.)
            h = r
            // The correction rotates `up` onto earth z about (-up.y, up.x, 0) by ~|up_xy|:
            // angular rate = that over dt. It removes the drift caused by the low-passed R b.
            e = Vector3(-up.y * inverseDt + earthBiasLp.x, up.x * inverseDt + earthBiasLp.y, 0) - r * bias
            let wMotion = motionVariance + motionNoisePerRate * inverseDt
            w = Vector3(wMotion, wMotion, wMotion * verticalNoiseScale)
        } else {
            return
        }
        // While moving, a disagreement larger than any plausible drift is a disturbance (or
        // the first, large inclination correction): clip so it cannot drag the estimate far.
        // At rest the mean rate is the offset itself, up to the datasheets' range.
        let clip = atRest && p.restBiasEstimation ? p.restBiasRange : p.biasClip
        let range = p.restBiasRange
        e = e.clamped(to: clip)

        // K = P Hᵀ (W + H P Hᵀ)⁻¹; b += K e; P -= K H P = K (P Hᵀ)ᵀ as P is symmetric.
        let pht = Matrix3.multiplyTransposed(covariance, h)
        var s = h * pht
        s.r0.x += w.x
        s.r1.y += w.y
        s.r2.z += w.z
        guard let sInv = s.inverse else { return }
        let k = pht * sInv
        bias += k * e
        covariance = covariance - Matrix3.multiplyTransposed(k, pht)
        bias = bias.clamped(to: range)
    }
}
