/// 6D orientation filter (accelerometer + gyroscope), one per sensor.
///
/// The structure follows VQF (D. Laidig, T. Seel, "VQF: Highly accurate IMU orientation
/// estimation with bias estimation and magnetic disturbance rejection", Information Fusion
/// 91, 2023), written for this project:
///
/// 1. **Strapdown integration**: the bias-corrected angular rate is integrated exactly into
///    `gyroQuat`, sensor to an "almost inertial" frame I that only drifts slowly.
/// 2. **Inclination correction**: the accelerometer is rotated into frame I, where gravity is
///    constant while walking or tapping only adds zero-mean accelerations; a second-order
///    low-pass with time constant `tauAccel` (≈ 3 s) there removes them without lagging the
///    rotation. `accelQuat` (I to earth, no heading part) turns that filtered vector onto
///    earth z every sample.
/// 3. **Gyroscope bias**: a Kalman filter fed by the inclination correction while moving and
///    by the mean angular rate while at rest (see `GyroBiasEstimator`, `RestDetector`).
///
/// Time: every coefficient is derived from a time constant and the measured sample period,
/// so any rate from 25 Hz to 1 kHz works. A sample whose `t` does not increase, or that has a
/// non-finite value, is ignored. After a gap longer than `maxGap` the filter restarts its
/// inclination from the accelerometer (keeping heading continuity and the bias estimate).
public struct OrientationFilter: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Time constant of the accelerometer low-pass in the almost-inertial frame, s.
        /// Longer rejects non-gravity accelerations better but trusts the gyroscope longer.
        /// VQF's 3 s.
        public var tauAccel = 3.0
        /// Estimate the gyroscope bias while moving (from the inclination correction).
        public var motionBiasEstimation = true
        /// Estimate the gyroscope bias at rest (from the mean angular rate).
        public var restBiasEstimation = true
        /// Initial bias uncertainty (1σ), rad/s: MEMS gyroscopes after turn-on calibration.
        public var biasSigmaInit = 0.5.radians
        /// Time in which the bias variance grows by (0.1 °/s)² without measurements, s:
        /// how fast the bias is allowed to drift (temperature). VQF uses 100 s; 60 s follows
        /// drift a little faster and scores better on BROAD together with `biasSigmaMotion`.
        public var biasForgettingTime = 60.0
        /// Largest bias disagreement used per step while moving, rad/s: a larger one is a
        /// disturbance of the accelerometer, not gyroscope drift.
        public var biasClip = 2.0.radians
        /// Largest gyroscope offset learned at rest, rad/s: the datasheets' zero-rate offset
        /// range (MPU-6050 ±20 °/s untrimmed, LSM6DS3 ±10 °/s, BMI160 ±3 °/s) plus its
        /// temperature drift. At rest the mean rate measures the offset directly, whatever
        /// its size; while moving only `biasClip` per step is trusted.
        public var restBiasRange = 35.0.radians
        /// Steady-state bias uncertainty (1σ) reached while moving, rad/s. VQF uses 0.1 °/s;
        /// 0.05 °/s averages the (noisy) inclination-correction measurements over longer.
        public var biasSigmaMotion = 0.05.radians
        /// The vertical bias component is unobservable from gravity: its measurement noise
        /// is that of the horizontal ones divided by this, so it barely changes in motion.
        public var biasVerticalForgettingFactor = 0.0001
        /// Steady-state bias uncertainty (1σ) reached at rest, rad/s.
        public var biasSigmaRest = 0.03.radians
        /// Rest must last this long before the bias is learned from the mean rate, s.
        public var restMinDuration = 1.5
        /// Time constant of the rest detector's low-pass filters, s.
        public var restFilterTau = 0.5
        /// Largest angular-rate deviation from its low-passed value at rest, rad/s.
        public var restThresholdGyro = 2.0.radians
        /// Largest specific-force deviation from its low-passed value at rest, m/s².
        public var restThresholdAccel = 0.5
        /// A gap between samples longer than this (s) restarts the inclination estimate
        /// from the accelerometer: the gyroscope cannot bridge it. 0.2 s is 5 samples at 25 Hz.
        public var maxGap = 0.2
        /// Filter coefficients are recomputed when the sample period differs by more than
        /// this fraction from the one they were computed for: ordinary timestamp jitter does
        /// not cost a `tan` per sample, a real rate change is followed.
        public var periodTolerance = 0.05

        public init() {}
    }

    public let parameters: Parameters
    /// Sensor-to-earth orientation (earth z up, heading arbitrary).
    public private(set) var orientation: Quaternion = .identity
    /// Current gyroscope bias estimate, rad/s.
    public var gyroBias: Vector3 { biasEstimator.bias }
    /// Uncertainty (1σ) of each axis of the bias estimate, rad/s.
    public var gyroBiasSigma: Vector3 {
        let d = biasEstimator.covariance.diagonal
        return Vector3(max(d.x, 0).squareRoot(), max(d.y, 0).squareRoot(), max(d.z, 0).squareRoot())
    }
    /// Whether the filter has seen its first sample.
    public private(set) var isInitialized = false
    /// Whether the sensor is currently judged at rest.
    public var isAtRest: Bool { restDetector.isAtRest }
    /// Angular rate of the last inclination correction, rad/s: how much the gyroscope and
    /// the accelerometer disagreed (a diagnostic; large during disturbances or after a gap).
    public var correctionRate: Double {
        lastDt > 0 ? Double.acos(lastCorrectionCosine) / lastDt : 0
    }

    private var lastT = 0.0
    private var lastDt = 0.0
    private var lastCorrectionCosine = 1.0
    /// Sensor to almost-inertial frame I: integrated gyroscope.
    private var gyroQuat = Quaternion.identity
    /// Frame I to earth: accumulated inclination corrections.
    private var accelQuat = Quaternion.identity
    private var accelLowPass = LowPassFilter3()
    private var restDetector = RestDetector()
    private var startupOffset = StartupOffsetCapture()
    private var steadyPoseOffset = SteadyPoseOffsetCheck()
    private var biasEstimator: GyroBiasEstimator
    /// The sample period the coefficients below were computed for, s (0: none yet).
    private var coefficientPeriod = 0.0
    private var accelCoefficients = ButterworthCoefficients()
    private var restCoefficients = ButterworthCoefficients()

    public init(parameters: Parameters = .init()) {
        self.parameters = parameters
        biasEstimator = GyroBiasEstimator(parameters: parameters)
    }

    /// Feeds one sample. `t` in seconds (monotonic), accel in m/s², gyro in rad/s, sensor frame.
    public mutating func update(t: Double, accel: Vector3, gyro: Vector3) {
        guard t.isFinite, accel.isFinite, gyro.isFinite else { return }
        // A zero (or absurdly small) specific force has no direction: gyroscope only.
        let accelUsable = accel.squaredNorm > Self.minAccelSquaredNorm
        guard isInitialized else {
            guard accelUsable else { return }  // nothing to start the inclination from
            isInitialized = true
            lastT = t
            correctInclination(accel, dt: 0)
            orientation = Quaternion.product(accelQuat, gyroQuat)
            return
        }
        guard t > lastT else { return }
        let dt = t - lastT
        lastT = t
        lastDt = dt
        if dt > parameters.maxGap {
            restart(after: dt)
            if accelUsable { correctInclination(accel, dt: 0) }
            orientation = Quaternion.product(accelQuat, gyroQuat)
            return
        }
        if abs(dt - coefficientPeriod) > parameters.periodTolerance * coefficientPeriod {
            coefficientPeriod = dt
            accelCoefficients = ButterworthCoefficients(tau: parameters.tauAccel, dt: dt)
            restCoefficients = ButterworthCoefficients(tau: parameters.restFilterTau, dt: dt)
        }

        if accelUsable, let offset = startupOffset.add(t: t, gyro: gyro, accel: accel, parameters: parameters) {
            // The first second was integrated with the wrong offset: take the offset, and the
            // inclination afresh from the accelerometer (heading continuity is kept).
            biasEstimator.adopt(offset, parameters: parameters)
            restart(after: 0)
            correctInclination(accel, dt: 0)
            orientation = Quaternion.product(accelQuat, gyroQuat)
            return
        }
        if accelUsable, parameters.restBiasEstimation,
            let offset = steadyPoseOffset.add(t: t, gyro: gyro, accel: accel, bias: biasEstimator.bias, parameters: parameters)
        {
            // Known to the window's accuracy (its pose angle over its length), not a rest's;
            // the inclination integrated with the wrong offset is taken afresh, as above.
            biasEstimator.adopt(offset, sigma: SteadyPoseOffsetCheck.steadyPoseAngle / SteadyPoseOffsetCheck.windowDuration)
            restart(after: 0)
            correctInclination(accel, dt: 0)
            orientation = Quaternion.product(accelQuat, gyroQuat)
            return
        }
        restDetector.update(
            gyro: gyro, accel: accelUsable ? accel : nil, dt: dt, parameters: parameters, restCoefficients)
        integrateGyro(gyro - biasEstimator.bias, dt: dt)
        let correctionUp = accelUsable ? correctInclination(accel, dt: dt) : nil
        orientation = Quaternion.product(accelQuat, gyroQuat)
        if parameters.motionBiasEstimation || parameters.restBiasEstimation {
            biasEstimator.update(
                orientation: orientation, correctionEarthUp: correctionUp, dt: dt, inverseDt: 1 / dt,
                inclinationSettled: accelLowPass.isWarm, atRest: restDetector.isAtRest,
                restGyroMean: restDetector.gyroMean, parameters: parameters, accelCoefficients)
        }
    }

    /// Forgets all state (next sample re-initialises from gravity).
    public mutating func reset() { self = OrientationFilter(parameters: parameters) }

    // MARK: - Steps

    /// Squared norm below which a specific force is treated as missing, (m/s²)².
    static let minAccelSquaredNorm = 1e-6
    /// Half rotation angle up to which the Taylor series replaces sin/cos in the strapdown
    /// step: its error (< h⁸/40320 ≈ 4e-10 at 0.25 rad) is far below double-precision
    /// drift over a run, and 0.25 rad per sample is 12 rad/s at 25 Hz.
    static let seriesHalfAngleLimit = 0.25

    /// Rotates `gyroQuat` by the angular rate `omega` held for `dt` seconds (exact for a
    /// constant rate).
    @inline(__always)
    private mutating func integrateGyro(_ omega: Vector3, dt: Double) {
        let rate2 = omega.squaredNorm
        let h2 = 0.25 * rate2 * dt * dt  // (half angle)²
        let c: Double, sOverRate: Double  // cos(h), sin(h)/|ω|
        if h2 < Self.seriesHalfAngleLimit * Self.seriesHalfAngleLimit {
            c = 1 - h2 * (1.0 / 2 - h2 * (1.0 / 24 - h2 * (1.0 / 720)))
            // sin(h)/|ω| = (dt/2)·sin(h)/h
            sOverRate = 0.5 * dt * (1 - h2 * (1.0 / 6 - h2 * (1.0 / 120 - h2 * (1.0 / 5040))))
        } else {
            let rate = rate2.squareRoot()
            let h = 0.5 * rate * dt
            c = Double.cos(h)
            sOverRate = Double.sin(h) / rate
        }
        let step = Quaternion(w: c, x: sOverRate * omega.x, y: sOverRate * omega.y, z: sOverRate * omega.z)
        gyroQuat = Quaternion.product(gyroQuat, step).renormalized
    }

    /// Low-passes the accelerometer in frame I and rotates `accelQuat` so the result points
    /// along earth z. Returns that direction before the correction (earth frame, unit).
    @discardableResult @inline(__always)
    private mutating func correctInclination(_ accel: Vector3, dt: Double) -> Vector3? {
        let inertial = gyroQuat.rotated(accel)
        let filtered = accelLowPass.step(inertial, dt: dt, tau: parameters.tauAccel, accelCoefficients)
        let earth = accelQuat.rotated(filtered)
        let norm2 = earth.squaredNorm
        guard norm2 > Self.minAccelSquaredNorm, norm2.isFinite else { return nil }
        let up = earth * (1 / norm2.squareRoot())
        // Shortest rotation taking `up` onto (0,0,1): axis (up.y, -up.x, 0), no heading change.
        let qw2 = 0.5 * (up.z + 1)
        let correction: Quaternion
        if qw2 > 1e-12 {
            let qw = qw2.squareRoot()
            let s = 0.5 / qw
            correction = Quaternion(w: qw, x: s * up.y, y: -s * up.x, z: 0)
        } else {
            correction = Quaternion(w: 0, x: 1, y: 0, z: 0)  // upside down: any horizontal axis
        }
        accelQuat = Quaternion.product(correction, accelQuat).renormalized
        lastCorrectionCosine = up.z
        return up
    }

    /// After a gap: keep both quaternions (heading continuity) and the bias, but restart the
    /// low-pass filters so the next accelerometer sample sets the inclination at once, then
    /// refines it by averaging; let the bias uncertainty grow for the time missed.
    private mutating func restart(after gap: Double) {
        accelLowPass.reset()
        steadyPoseOffset.reset()
        restDetector.reset()
        biasEstimator.restartLowPass()
        biasEstimator.predict(duration: gap)
    }
}
