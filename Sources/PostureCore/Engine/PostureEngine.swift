/// The pipeline of the architecture note, for one wearer:
/// samples → orientation (per sensor) → segment angles → activity → policy → summary.
///
/// Deterministic given its input, and free of I/O, so the daemon, `posturectl replay`, the
/// demo and the tests all run exactly this. After `init`, `process` does no allocation:
/// every stage is a value type whose buffers were sized at construction.
public struct PostureEngine: Sendable {
    // `var` (not `let`) only so `setCalibration`/`setPolicy` can replace them in place.
    public private(set) var configuration: EngineConfiguration
    public private(set) var calibration: Calibration

    private var pelvisFilter: OrientationFilter
    private var upperLumbarFilter: OrientationFilter
    private var lastUpperLumbarT = -Double.infinity
    private var lastPelvisT: Double?
    private var angleEstimator: SegmentAngleEstimator
    private var classifier: ActivityClassifier
    private var policy: NudgePolicy
    private var accumulator = DaySummaryAccumulator()
    private var stepsRecorded = 0
    /// When a guided calibration saw the wearer sit down, until the next policy step uses it.
    private var calibratedSittingSince: Double?

    /// The latest activity, `nil` until the classifier has seen enough (a few seconds).
    public private(set) var activity: Activity?
    /// The latest segment angles, `nil` before the first pelvis sample.
    public private(set) var angles: SegmentAngles?

    public init(configuration: EngineConfiguration = .init(), calibration: Calibration) {
        self.configuration = configuration
        self.calibration = calibration
        pelvisFilter = OrientationFilter(parameters: configuration.filter)
        upperLumbarFilter = OrientationFilter(parameters: configuration.filter)
        angleEstimator = SegmentAngleEstimator(calibration: calibration)
        classifier = ActivityClassifier(parameters: configuration.activity)
        policy = NudgePolicy(configuration: configuration.policy)
    }

    /// Feeds one sample. Returns a step for every pelvis sample (the engine's tick), `nil`
    /// for upper-lumbar samples, which only update their filter.
    ///
    /// - Parameter localTimeOfDay: seconds after local midnight, or `nil` while the wall
    ///   clock is not trusted (then quiet hours cannot apply).
    public mutating func process(_ sample: IMUSample, localTimeOfDay: Double? = nil) -> EngineStep? {
        guard sample.t.isFinite else { return nil }
        if sample.sensor == SensorIndex.upperLumbar {
            upperLumbarFilter.update(t: sample.t, accel: sample.accel, gyro: sample.gyro)
            lastUpperLumbarT = sample.t
            return nil
        }
        guard sample.sensor == SensorIndex.pelvis else { return nil }
        let t = sample.t
        pelvisFilter.update(t: t, accel: sample.accel, gyro: sample.gyro)

        let upperFresh = calibration.upperLumbar != nil && upperLumbarFilter.isInitialized
            && t - lastUpperLumbarT <= configuration.upperLumbarStaleAfter
        let current = angleEstimator.angles(
            pelvis: pelvisFilter.orientation, upperLumbar: upperFresh ? upperLumbarFilter.orientation : nil)
        angles = current

        let previous = activity
        activity = classifier.update(
            t: t, accel: sample.accel, gyro: sample.gyro - pelvisFilter.gyroBias, orientation: pelvisFilter.orientation,
            angles: current,
            sittingReference: calibration.sittingReference)

        var decision = PolicyDecision.empty
        if let activity {
            decision = policy.step(
                t: t, activity: activity, angles: current, sittingReference: calibration.sittingReference,
                localTimeOfDay: localTimeOfDay, sittingSince: calibratedSittingSince)
            calibratedSittingSince = nil
            let dt = lastPelvisT.map { t - $0 } ?? 0
            let counted = dt <= configuration.maximumTickInterval ? dt : 0
            accumulator.add(dt: counted, activity: activity, isSlouching: policy.isSlouching, angles: current)
            accumulator.record(decision)
        }
        lastPelvisT = t
        return EngineStep(
            t: t, angles: current, activity: activity, activityChanged: activity != previous, decision: decision)
    }

    /// The summary of everything processed so far (an unfinished sitting bout included).
    public func summary() -> DaySummary {
        var copy = accumulator
        copy.recordSteps(classifier.stepCount)
        return copy.summary(openBout: policy.currentBout)
    }

    /// Whether the slouch rule is currently confirmed.
    public var isSlouching: Bool { policy.isSlouching }
    /// The sitting bout in progress, if any.
    public var currentBout: SittingBout? { policy.currentBout }
    /// Steps counted while walking so far.
    public var stepCount: Int { classifier.stepCount }
    /// The pelvis sensor's gyroscope bias estimate, rad/s.
    public var pelvisGyroBias: Vector3 { pelvisFilter.gyroBias }

    /// Suppresses nudges until engine time `t`.
    public mutating func snooze(until t: Double) { policy.snooze(until: t) }
    public mutating func resume() { policy.resume() }

    // MARK: Live changes (the daemon's sampling loop; added for issue 4)

    /// Replaces the calibration (a new `posturectl calibrate`) without touching any filter,
    /// classifier or policy state: orientation is estimated in the sensor frame, so only
    /// the angle decomposition and the sitting reference change. No allocation
    /// (`Calibration` holds no heap storage).
    ///
    /// - Parameter sittingSince: for a guided calibration, the start of the sitting pose it
    ///   captured: the wearer is sitting and has been since then, which is surer than
    ///   anything the classifier saw (the sit-down may have fallen in a sensor gap, or been
    ///   judged against the assumed calibration). The activity becomes sitting, and a bout
    ///   that starts now starts there, so the first `sitting_too_long` is not late by the
    ///   calibration's length.
    public mutating func setCalibration(_ calibration: Calibration, sittingSince: Double? = nil) {
        self.calibration = calibration
        angleEstimator = SegmentAngleEstimator(calibration: calibration)
        if let since = sittingSince, since.isFinite {
            classifier.observe(.sitting, since: since)
            calibratedSittingSince = since
        }
    }

    /// Replaces the nudge policy's tunables (a config reload), keeping the slouch, bout,
    /// snooze and daily-count state. Allocates nothing: the new value's `quietHours` array
    /// is retained, not copied. The previous configuration's storage is released here, so a
    /// caller that must not free memory keeps a copy of `configuration.policy` first.
    public mutating func setPolicy(_ policy: PolicyConfiguration) {
        configuration.policy = policy
        self.policy.reconfigure(policy)
    }

    /// Resets the daily nudge cap and counts; call at local midnight once the wall clock is trusted.
    public mutating func startNewDay() { policy.startNewDay() }

    /// Today's feedback level (fading feedback; see `FeedbackSchedule`). No allocation.
    public mutating func setFeedbackLevel(_ level: FeedbackLevel) { policy.setFeedbackLevel(level) }

    /// The feedback level in force.
    public var feedbackLevel: FeedbackLevel { policy.feedbackLevel }
}

/// What one pelvis tick produced.
public struct EngineStep: Sendable, Equatable {
    public var t: Double
    public var angles: SegmentAngles
    /// `nil` until the classifier has decided.
    public var activity: Activity?
    /// True on the tick the activity changed (including the first decision).
    public var activityChanged: Bool
    /// Nudges, suppressed nudges, slouch and bout changes of this tick.
    public var decision: PolicyDecision
}
