extension ActivityClassifier {
    /// Every threshold of the classifier, with why it has its default.
    /// Angles in degrees, accelerations in m/s², times in seconds.
    public struct Parameters: Sendable, Equatable {
        // MARK: Lying

        /// Pelvis body z this far from earth-up means the trunk is near horizontal. Slumped
        /// or reclined sitting tilts the pelvis back 30–45°; lying is ~90°.
        public var lyingEnterInclination = 60.0
        /// Leave lying only below this: rolling over or propping up on an elbow must not flicker.
        public var lyingExitInclination = 50.0
        /// With sensor 1, an anterior pelvis plus this much lumbar flexion is someone bent
        /// over (picking something up, gardening), not lying prone, which keeps the spine flat.
        public var bentOverFlexion = 30.0
        /// ... and only with the pelvis level sideways: lying on a side (obliquity ±90°)
        /// leaves the sagittal angles, hence flexion, undefined.
        public var bentOverMaxObliquity = 45.0

        // MARK: Walking

        /// RMS of the dynamic acceleration (|a| minus its slow baseline) to start walking.
        /// Pelvic vertical acceleration is ~1–2.5 m/s² RMS at normal pace, ~0.7 slow;
        /// sensor noise and breathing stay below 0.1.
        public var walkingEnterRMS = 0.6
        /// ... and below which walking ends (hysteresis: slow steps and turns dip in between).
        public var walkingExitRMS = 0.3
        /// Normalised autocorrelation at the step period needed to start walking. Gait
        /// gives 0.5–0.9; fidgeting and sit-to-stand transitions are aperiodic (< 0.3).
        public var walkingEnterPeriodicity = 0.4
        /// ... and below which walking ends (turning and irregular steps lower it).
        public var walkingExitPeriodicity = 0.2
        /// The autocorrelation at the step period must exceed that at half of it by this:
        /// steps alternate (half a period apart is anti-phase), whereas a faster
        /// vibration (a car, a jiggling knee) also correlates at the half lag.
        public var walkingAntiphaseContrast = 0.5
        /// A sensor at the side of the hip may see only the stride as periodic (see
        /// `GaitAnalyzer.Features.stridePeriodicity`): walking also starts when the stride
        /// correlates this well (higher than for steps: one period per two steps is
        /// less evidence)...
        public var walkingEnterStridePeriodicity = 0.5
        /// ... and more than at half the stride by this: a stride whose two halves were alike
        /// would have passed as steps; a vibration correlates at every multiple of its period.
        public var walkingStrideContrast = 0.25
        /// Step periods searched: 0.4–0.8 s is 1.25–2.5 steps per second, slow to brisk.
        public var minStepPeriod = 0.4
        public var maxStepPeriod = 0.8

        // MARK: Steps

        /// A step is one cycle of the low-passed dynamic acceleration: up through +h after
        /// having been below −h, with h this fraction of the current amplitude (√2 × RMS).
        /// Low enough for the weaker of two uneven steps (a cycle's peak is ~0.5–0.7 of
        /// the amplitude after the low-pass), high enough that ripples never cross twice.
        public var stepThresholdFraction = 0.2
        /// ... and at least this (m/s²), so sensor noise (~0.05) never counts as steps.
        public var minStepThreshold = 0.3
        /// No second step within this fraction of the detected step period (noise
        /// crossings), and never within `minStepInterval` (4 steps/s is a sprint).
        public var stepRefractoryFraction = 0.6
        public var minStepInterval = 0.25

        // MARK: Sitting and standing

        /// Sit/stand evidence is a score, pelvic tilt / sitting reference tilt: 0 at the
        /// standing pose and 1 at the sitting reference; the decision point is 0.5 and this
        /// is the half-width of the dead band around it, where the current posture is kept
        /// (perching, shifting weight).
        public var sitStandHysteresis = 0.15
        /// When calibration recorded less posterior tilt than this for sitting, the poses
        /// cannot be told apart by tilt alone; assume this typical minimum instead.
        public var minimumSittingTiltSeparation = 10.0
        /// An anterior tilt beyond this is ambiguous (leaning forward from the hips while
        /// sitting, or standing bent over): it never switches between sitting and standing.
        public var anteriorAmbiguityTilt = 10.0
        /// While the pelvis turns faster than this (rad/s, e.g. mid sit-to-stand), its
        /// angles are a transition, not a posture: they neither start nor confirm a change.
        public var transientAngularRate = 1.0

        /// Net hip fall (m) over the movements out of standing that means sitting down, and
        /// net rise out of sitting that means standing up. The hip joint is ~0.9 m above the
        /// floor standing and ~0.5 m on a chair: ~0.4 m either way (HAPT: 0.2–0.6 m measured).
        /// Leaning over a desk moves the sacrum < 0.1 m. Sitting down is measured with the
        /// pelvis settling quietly on the seat, so a third of the change is enough; standing up
        /// is often followed by a step or a turn that blurs the integral's end, and a jolt
        /// while seated must not pass for it, so half.
        public var descentHeight = 0.15
        public var riseHeight = 0.2
        /// With the tilt agreeing (standing-like after a rise, sitting-like after a fall), this
        /// fraction of the height is enough: two independent, weaker pieces of evidence. A
        /// stand-up followed at once by turning round in place spreads the integral's error
        /// over the turn (HAPT: a 0.38 m rise measured as 0.12 m net).
        public var corroboratedFraction = 0.5
        /// Out of lying, the hips rise this much only to stand: sitting up on a bed or the
        /// floor keeps them near its surface (HAPT: −0.8…+0.1 m measured), standing puts them
        /// ~0.4 m above a bed and ~0.9 m above the floor.
        public var riseFromLyingHeight = 0.25
        /// A measured transition is reported once the pelvis has been quiet this long after it
        /// (on top of `HipHeightTracker.quietDuration`): the height is already an average.
        public var eventDwell = 0.5
        /// Quiet this long in the reported activity, the wearer is settled: later movements
        /// are measured from here. Longer than a pause within a two-part sit-down.
        public var settleDuration = 3.0
        /// Safety net should a stand-up go unmeasured: standing angles held this long after
        /// sitting count as standing even without the rise. Long, because leaning over a
        /// desk for minutes is ordinary sitting and shows standing's very angles.
        public var standingWithoutRiseDwell = 600.0

        // MARK: Dwell

        /// How long the evidence for a new activity must hold before it is reported.
        /// Each, added to the cue's own latency, stays under the required 5 s.
        public var walkingDwell = 1.0
        /// Long enough to ignore a brief bend or a stretch on the floor.
        public var lyingDwell = 2.5
        /// Sitting, standing, and "unknown" (uncalibrated upright): rides out a brief lean.
        public var postureDwell = 2.0

        public init() {}
    }
}
