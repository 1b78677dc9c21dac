/// Notices the pelvis rising by a sitting-to-standing height, from |a| alone.
///
/// Why: leaning forward from the hips while sitting can put the pelvis at the very angles
/// of standing (both ~0–5° tilt, lumbar neutral), so angles cannot tell them apart. But
/// standing up lifts the hips ~0.45 m and leaning does not (the sacrum moves < 0.1 m),
/// and that lift is in the acceleration: |a| − g ≈ vertical acceleration.
///
/// How: leaky double integration of |a| minus a slow baseline, per bin. The leaks
/// (seconds) bound the drift from accelerometer offset and noise yet keep most of a
/// 1–3 s rise; the height estimate then decays back to zero, so only the *event*
/// (height above `riseHeight`) is kept, with its time.
struct HipRiseDetector: Sendable {
    /// Baseline of |a|: slow enough not to absorb a 1–3 s rise, fast enough to follow
    /// accelerometer scale drift.
    static let baselineTau = 20.0
    /// Leak of the velocity and height integrals: ~2× a slow sit-to-stand, so most of
    /// the lift survives, while noise and what the baseline has not yet absorbed of an
    /// offset cannot build up into a phantom lift.
    static let velocityTau = 3.0
    static let heightTau = 3.0

    private let baselineDecay: Double
    private let velocityDecay: Double
    private let heightDecay: Double
    private var baseline = standardGravity
    private var velocity = 0.0
    private var height = 0.0
    /// End time of the last bin whose estimated lift exceeded the threshold.
    private(set) var lastRise = -Double.infinity
    /// End time of the first bin of that excursion above the threshold: when the rise
    /// became evident, the best estimate of when standing began.
    private(set) var lastRiseStart = -Double.infinity

    init(binPeriod: Double) {
        baselineDecay = Double.exp(-binPeriod / Self.baselineTau)
        velocityDecay = Double.exp(-binPeriod / Self.velocityTau)
        heightDecay = Double.exp(-binPeriod / Self.heightTau)
    }

    /// Forgets the motion (after a gap in the samples); keeps the time of the last rise.
    mutating func reset() {
        velocity = 0
        height = 0
    }

    mutating func process(accelNorm: Double, t: Double, binPeriod: Double, riseHeight: Double) {
        baseline = baselineDecay * baseline + (1 - baselineDecay) * accelNorm
        velocity = velocityDecay * velocity + (accelNorm - baseline) * binPeriod
        height = heightDecay * height + velocity * binPeriod
        guard height > riseHeight else { return }
        if lastRise < t - binPeriod * 1.5 { lastRiseStart = t }
        lastRise = t
    }
}
