/// Notices the hips rising by a sitting-to-standing height, from |a| alone.
///
/// Why: leaning forward from the hips while sitting can put the pelvis at the very angles
/// of standing (both ~0–5° tilt, lumbar neutral), so angles cannot tell them apart. But
/// standing up lifts the hips ~0.45 m and leaning does not (the sacrum moves < 0.1 m),
/// and that lift is in the acceleration: |a| − g ≈ vertical acceleration.
///
/// How: zero-velocity updates. While the pelvis is still (short-window RMS of |a| − g
/// below `stillRMS` for `stillDuration`), velocity and height are reset to zero and g is
/// re-estimated (so accelerometer scale error cancels). When motion starts, |a| − g is
/// integrated twice; a height above `riseHeight` within `maxRiseDuration` of the onset
/// is a rise. Only the start of a motion is trusted: in long motions (walking, a vibrating
/// seat) the double integral drifts, and those never need a rise anyway.
struct HipRiseDetector: Sendable {
    /// Below this RMS of |a| − g (m/s²) the pelvis is still: sensor noise and breathing
    /// stay under ~0.03, while even a slow (3 s) stand-up peaks near 0.3.
    static let stillRMS = 0.08
    /// Stillness must last this long (s) before a reset: around the velocity peak of a
    /// slow stand-up the acceleration passes through zero for a few tenths of a second.
    static let stillDuration = 1.0
    /// Window of the motion RMS (s).
    static let rmsTau = 0.4
    /// Re-estimation of g while still (s): follows accelerometer scale drift.
    static let gravityTau = 5.0
    /// A stand-up takes 1–3 s; later the double integral is dominated by drift.
    static let maxRiseDuration = 5.0

    private let rmsAlpha: Double
    private let gravityAlpha: Double
    private var gravity = standardGravity
    private var meanSquare = 0.0
    private var stillFor = 0.0
    private var motionStart = -Double.infinity
    private var velocity = 0.0
    private var height = 0.0
    /// End time of the last bin whose estimated lift exceeded the threshold.
    private(set) var lastRise = -Double.infinity
    /// End time of the first bin of that excursion above the threshold: when the rise
    /// became evident, the best estimate of when standing began.
    private(set) var lastRiseStart = -Double.infinity

    init(binPeriod: Double) {
        rmsAlpha = 1 - Double.exp(-binPeriod / Self.rmsTau)
        gravityAlpha = 1 - Double.exp(-binPeriod / Self.gravityTau)
    }

    /// Forgets the motion (after a gap in the samples); keeps g and the last rise.
    mutating func reset() {
        velocity = 0
        height = 0
        stillFor = 0
        meanSquare = 0
        motionStart = -Double.infinity
    }

    mutating func process(accelNorm: Double, t: Double, binPeriod: Double, riseHeight: Double) {
        let a = accelNorm - gravity
        meanSquare += rmsAlpha * (a * a - meanSquare)
        stillFor = meanSquare.squareRoot() < Self.stillRMS ? stillFor + binPeriod : 0
        if stillFor >= Self.stillDuration {
            gravity += gravityAlpha * (accelNorm - gravity)
            velocity = 0
            height = 0
            motionStart = t
            return
        }
        velocity += a * binPeriod
        height += velocity * binPeriod
        guard height > riseHeight, t - motionStart <= Self.maxRiseDuration else { return }
        if lastRise < t - 1.5 * binPeriod { lastRiseStart = t }
        lastRise = t
    }
}
