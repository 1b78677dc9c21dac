/// Counts steps in the dynamic acceleration d (|a| minus its baseline), one bin at a time.
///
/// Each step is one cycle of d: a peak above +h that follows a valley below −h, with
/// h adaptive (a fraction of the current amplitude, with an absolute floor) and the
/// step counted when the low-passed d rises through +h. Requiring the valley between
/// peaks (hysteresis) makes the two humps of one step (heel strike, push-off) count once
/// whatever their heights, and a weaker step (left and right differ) still count, which
/// a threshold on peak height alone gets wrong in both directions. A refractory interval
/// rejects noise crossings faster than any gait.
struct StepDetector: Sendable {
    /// Two cascaded exponential low-passes of this time constant (−3 dB near 2 Hz for
    /// the cascade): keeps the step fundamental, flattens heel-strike spikes and noise.
    static let lowPassTau = 0.05

    private let alpha: Double
    private var stage1 = 0.0
    private var stage2 = 0.0
    /// Whether the signal has been below −h since the last counted step.
    private var armed = false
    private var lastStepTime = -Double.infinity

    init(binPeriod: Double) { alpha = 1 - Double.exp(-binPeriod / Self.lowPassTau) }

    mutating func reset() { self = StepDetector(alpha: alpha) }

    private init(alpha: Double) { self.alpha = alpha }

    /// Feeds the dynamic acceleration `d` of the bin ending at `t`; returns whether a step
    /// was counted.
    ///   - amplitude: current amplitude of d (√2 × RMS), for the adaptive threshold.
    ///   - stepPeriod: current step period estimate, seconds (0 if unknown).
    mutating func process(
        d: Double, t: Double, amplitude: Double, stepPeriod: Double, parameters: ActivityClassifier.Parameters
    ) -> Bool {
        stage1 += alpha * (d - stage1)
        stage2 += alpha * (stage1 - stage2)
        let h = max(parameters.minStepThreshold, parameters.stepThresholdFraction * amplitude)
        if stage2 < -h {
            armed = true
            return false
        }
        let refractory = max(parameters.minStepInterval, parameters.stepRefractoryFraction * stepPeriod)
        guard armed, stage2 > h, t - lastStepTime >= refractory else { return false }
        armed = false
        lastStepTime = t
        return true
    }
}
