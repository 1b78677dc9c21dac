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

        /// Sitting → standing needs the hips to have risen at least this much (m) within
        /// `riseMemory` (s): standing up lifts them ~0.45 m, leaning forward over a desk
        /// (which can show standing's very angles) moves the sacrum < 0.1 m.
        public var riseHeight = 0.15
        /// Covers the stand-up movement (1–3 s) plus `postureDwell`, with margin.
        public var riseMemory = 10.0
        /// Safety net should a stand-up go unnoticed (a very slow rise): standing angles
        /// held this long after sitting count as standing even without the rise. Long,
        /// because leaning over a desk for minutes is ordinary sitting.
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
