/// Gait features of the pelvis acceleration, computed on a fixed-rate stream of
/// bin means (`binPeriod`), so they do not depend on the sensor's sample rate.
///
/// Per bin, O(maxStrideLag) work with no allocation: the dynamic acceleration d = |a| minus
/// a slow baseline goes into a ring buffer, and exponentially weighted
/// autocorrelations of d at every lag up to the longest step period are updated.
/// Exponential (not boxcar) windows need no subtraction, so they cannot drift.
struct GaitAnalyzer: Sendable {
    /// 25 Hz: ten bins per cycle even at 2.5 steps/s; the bin mean is also the
    /// anti-alias filter for whatever rate the sensor runs at.
    static let binPeriod = 0.04
    /// Baseline of |a|: removes gravity and accelerometer scale error, passes gait (≥ 1 Hz).
    static let baselineTau = 2.0
    /// Energy for the walking gate: short, so walking ends within ~2 s of the last step.
    static let shortEnergyTau = 0.4
    /// Autocorrelation window: ~3 steps, a stable periodicity well within 5 s.
    static let correlationTau = 1.5

    struct Features: Sendable {
        /// RMS of d over the short window, m/s².
        var rms = 0.0
        /// Best normalised autocorrelation over the step-period lags.
        var periodicity = 0.0
        /// Normalised autocorrelation at half the best lag.
        var halfPeriodCorrelation = 0.0
        /// The step period at the best lag, seconds.
        var stepPeriod = 0.0
        /// Best normalised autocorrelation over the stride (two-step) lags, and at half
        /// that lag. A sensor worn at the side of the hip sees left and right steps unlike
        /// (HAPT: the stride correlates at 0.5–0.8 where the step correlates at 0.2–0.3), so
        /// gait can show as a periodic stride without a periodic step.
        var stridePeriodicity = 0.0
        var strideHalfCorrelation = 0.0
        /// Whether a step peak was found in this bin.
        var step = false
    }

    private let minLag: Int
    private let maxLag: Int
    /// Stride lags: twice the step lags.
    private let minStrideLag: Int
    private let maxStrideLag: Int
    private let baselineAlpha = Self.alpha(tau: Self.baselineTau)
    private let shortEnergyAlpha = Self.alpha(tau: Self.shortEnergyTau)
    private let correlationAlpha = Self.alpha(tau: Self.correlationTau)

    /// d of the last `maxStrideLag + 1` bins; `head` is the newest.
    private var history: [Double]
    private var head = 0
    /// Exponentially weighted E[d[n]·d[n−lag]] for lag 0...maxStrideLag.
    private var correlation: [Double]
    /// Starts at g, the long-run mean of |a| for a body that stays where it is: starting
    /// at the first sample instead would offset d for seconds if that sample is mid-step.
    private var baseline = standardGravity
    private var shortEnergy = 0.0
    private var steps = StepDetector(binPeriod: Self.binPeriod)

    init(minStepPeriod: Double, maxStepPeriod: Double) {
        minLag = max(2, Int((minStepPeriod / Self.binPeriod).rounded(.down)))
        maxLag = max(minLag, Int((maxStepPeriod / Self.binPeriod).rounded(.up)))
        minStrideLag = 2 * minLag
        maxStrideLag = 2 * maxLag
        history = Array(repeating: 0, count: maxStrideLag + 1)
        correlation = Array(repeating: 0, count: maxStrideLag + 1)
    }

    /// Forgets the signal (after a gap in the samples), keeping the allocated buffers.
    mutating func reset() {
        for i in history.indices { history[i] = 0 }
        for i in correlation.indices { correlation[i] = 0 }
        head = 0
        baseline = standardGravity
        shortEnergy = 0
        steps.reset()
    }

    /// Processes one bin: `accelNorm` is the bin's mean |a|, `t` the bin's end time.
    mutating func process(accelNorm: Double, t: Double, parameters: ActivityClassifier.Parameters) -> Features {
        baseline += baselineAlpha * (accelNorm - baseline)
        let d = accelNorm - baseline

        head = (head + 1) % history.count
        history[head] = d
        shortEnergy += shortEnergyAlpha * (d * d - shortEnergy)
        for lag in 0...maxStrideLag {
            let past = history[(head - lag + history.count) % history.count]
            correlation[lag] += correlationAlpha * (d * past - correlation[lag])
        }

        var features = Features()
        features.rms = shortEnergy.squareRoot()
        let energy = correlation[0]
        // Below ~1 mm/s² RMS there is no signal to correlate; leave periodicity at 0.
        if energy > 1e-6 {
            let bestLag = stepLag()
            features.periodicity = correlation[bestLag] / energy
            features.halfPeriodCorrelation = correlation[max(1, (bestLag + 1) / 2)] / energy
            features.stepPeriod = Double(bestLag) * Self.binPeriod
            var strideLag = minStrideLag
            for lag in minStrideLag...maxStrideLag where correlation[lag] > correlation[strideLag] { strideLag = lag }
            features.stridePeriodicity = correlation[strideLag] / energy
            features.strideHalfCorrelation = correlation[strideLag / 2] / energy
        }

        features.step = steps.process(
            d: d, t: t, amplitude: (2 * energy).squareRoot(), stepPeriod: features.stepPeriod, parameters: parameters)
        return features
    }

    /// The lag of one step: the *shortest* lag whose autocorrelation is a local peak
    /// within `prominentPeakFraction` of the highest. Plain argmax would often pick the
    /// stride (two steps), since left and right steps differ, and halve the step count.
    private func stepLag() -> Int {
        var highest = correlation[minLag]
        for lag in minLag...maxLag { highest = max(highest, correlation[lag]) }
        let floor = highest - (1 - Self.prominentPeakFraction) * abs(highest)
        for lag in minLag...maxLag where correlation[lag] >= floor {
            let rising = correlation[lag] >= correlation[lag - 1]
            let falling = lag == maxLag || correlation[lag] >= correlation[lag + 1]
            if rising && falling { return lag }
        }
        for lag in minLag...maxLag where correlation[lag] == highest { return lag }
        return minLag
    }

    /// See `stepLag()`: a step peak may be this much lower than a stride peak (uneven steps).
    private static let prominentPeakFraction = 0.8

    /// Exponential smoothing factor per bin for time constant `tau`.
    private static func alpha(tau: Double) -> Double { 1 - Double.exp(-binPeriod / tau) }
}
