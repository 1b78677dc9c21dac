/// Streaming sitting / standing / walking / lying classifier with a step counter.
///
/// Call `update` once per pelvis sample. Samples are averaged into 25 Hz bins
/// (`GaitAnalyzer.binPeriod`) so the behaviour does not depend on the sample rate; each
/// bin costs O(1) (a fixed number of lags) and nothing is allocated after `init`.
///
/// Rules, in priority order, evaluated per bin into a *proposal*:
/// 1. **Lying**: pelvis inclination (body z from earth-up) above `lyingEnterInclination`
///    (60°), kept until below `lyingExitInclination` (50°). Not when an anterior pelvis
///    comes with lumbar flexion above `bentOverFlexion` and little obliquity (someone
///    bent over; on a side the sagittal angles are undefined, so no veto there).
/// 2. **Walking**: dynamic acceleration RMS above `walkingEnterRMS` *and* periodic at a
///    step period of 0.4–0.8 s (autocorrelation ≥ `walkingEnterPeriodicity`, anti-phase at
///    half the period); kept until the RMS or the periodicity falls below the exit values.
/// 3. **Sitting / standing** (still, upright): a score that is 0 at standing tall and 1 at
///    the sitting-upright reference: pelvic tilt / reference tilt. Above
///    0.5 + hysteresis is sitting (slouching, being more posterior, scores > 1), below
///    0.5 − hysteresis is standing, in between the current posture is kept. An anterior
///    tilt beyond `anteriorAmbiguityTilt` keeps the current posture too: leaning forward
///    from the hips while sitting looks like standing by tilt alone. While the pelvis
///    turns fast the angles are a transition and are not used. Lumbar flexion is not
///    used: its sitting-upright value (5–15° above standing) is within its own variation
///    in either posture, and in the simulated wearer it blurred the score.
///    Sitting → standing also needs the hips to have *risen* (`HipRiseDetector`, from
///    |a|) within the last `riseMemory`: leaning over a desk can show standing's very
///    angles, but only standing up lifts the hips ~0.45 m. Without a rise, standing
///    angles after sitting become standing only after `standingWithoutRiseDwell` (10 min).
///    Uncalibrated (no reference): upright and still is reported as `nil` (unknown),
///    never guessed: the sacrum's own inclination makes absolute tilt meaningless.
///
/// A proposal must hold for its dwell (`walkingDwell` 1 s, `lyingDwell` 2.5 s,
/// `postureDwell` 2 s) before it is reported, so fidgets and brief leans do not flicker.
///
/// Limits: a stand-up that does not start from stillness (straight out of a vibrating
/// seat or a long fidget) or is too smooth to show in |a| is recognised only after
/// 10 min, or at the first steps (walking needs no rise); standing leaning back
/// (pelvis tilted back like sitting) reads as sitting; a very slow shuffle (< ~0.6 m/s²
/// RMS at the pelvis) is not walking; lying is judged from the pelvis only, so before
/// calibration (a tilted sacrum) its 60° threshold is approximate.
///
/// **Steps** are cycles of the low-passed dynamic acceleration (a peak above +h after a
/// valley below −h, h = 20% of the current amplitude), at most one per 0.6 step periods
/// (`StepDetector`). Steps seen while walking is being confirmed are held and added
/// when it is, so the first steps are not lost; they are dropped if it is not.
public struct ActivityClassifier: Sendable {
    public let parameters: Parameters
    /// The reported activity; `nil` until known (start-up, or upright before calibration).
    public private(set) var activity: Activity?
    /// When the evidence for the reported activity began: the best estimate of the true
    /// change, up to the dwell earlier than the report. `nil` while `activity` is `nil`.
    public private(set) var activitySince: Double?
    /// Steps counted since `init` (or `reset`).
    public private(set) var stepCount = 0

    private var gait: GaitAnalyzer
    private var rise = HipRiseDetector(binPeriod: GaitAnalyzer.binPeriod)
    private var bins = SampleBinner()
    /// What is reported, `.unknown` included; `nil` only before the first report.
    private var reported: Proposal?
    private var candidate: Proposal?
    private var candidateSince = 0.0
    private var pendingSteps = 0
    private var pendingSince = 0.0
    private var latestAngles = SegmentAngles(pelvicTilt: 0, pelvicObliquity: 0, lumbarFlexion: nil)
    private var latestReference: SittingReference?

    /// A sample gap longer than this (or time going backwards) restarts the gait
    /// features: the signal before it cannot be correlated with the signal after it.
    static let maxSampleGap = 0.5
    /// Pending (unconfirmed) steps older than this are dropped: walking is confirmed
    /// within ~2 s of its start, so a longer run of peaks without it was not walking.
    static let maxPendingStepRun = 5.0

    public init(parameters: Parameters = .init()) {
        self.parameters = parameters
        gait = GaitAnalyzer(minStepPeriod: parameters.minStepPeriod, maxStepPeriod: parameters.maxStepPeriod)
    }

    /// Feeds one pelvis sample and returns the (possibly updated) activity.
    ///
    /// - Parameters:
    ///   - t: seconds, monotonic.
    ///   - accel: pelvis specific force in the sensor frame, m/s² (only |a| is used).
    ///   - gyro: pelvis angular rate, rad/s (bias-corrected or raw: only large rates matter).
    ///   - angles: current segment angles, relative to standing tall when calibrated
    ///     (before calibration, angles from the configured mounting).
    ///   - sittingReference: the calibration's sitting pose; `nil` before calibration.
    @discardableResult
    public mutating func update(
        t: Double, accel: Vector3, gyro: Vector3, angles: SegmentAngles, sittingReference: SittingReference?
    ) -> Activity? {
        guard t.isFinite, accel.isFinite, gyro.isFinite else { return activity }
        if let gap = bins.gap(before: t), gap > Self.maxSampleGap || gap < 0 {
            gait.reset()
            rise.reset()
            bins.restart(at: t)
            candidate = nil
        }
        while let bin = bins.closeBin(before: t) {
            process(bin)
        }
        bins.add(t: t, accelNorm: accel.norm, gyroNorm: gyro.norm)
        latestAngles = angles
        latestReference = sittingReference
        return activity
    }

    /// Forgets everything, including the step count.
    public mutating func reset() { self = ActivityClassifier(parameters: parameters) }

    // MARK: - Per bin

    private enum Proposal: Equatable {
        case activity(Activity)
        /// Upright and still, but uncalibrated: report `nil`.
        case unknown
    }

    private mutating func process(_ bin: SampleBinner.Bin) {
        let features = gait.process(accelNorm: bin.accelNorm, t: bin.end, parameters: parameters)
        rise.process(accelNorm: bin.accelNorm, t: bin.end, binPeriod: GaitAnalyzer.binPeriod,
                     riseHeight: parameters.riseHeight)
        let proposal = propose(features: features, gyroNorm: bin.gyroNorm)
        if features.rms < parameters.walkingExitRMS { pendingSteps = 0 }
        if features.step { countStep(at: bin.end) }
        guard let proposal, proposal != reported else {
            candidate = nil
            return
        }
        if candidate != proposal {
            candidate = proposal
            candidateSince = bin.end - GaitAnalyzer.binPeriod
        }
        if bin.end - candidateSince >= dwell(proposal, at: bin.end) {
            reported = proposal
            candidate = nil
            switch proposal {
            case .activity(let a):
                activity = a
                activitySince = isStandingUp(proposal) ? max(candidateSince, rise.lastRiseStart) : candidateSince
                if a == .walking { commitPendingSteps() }
            case .unknown:
                activity = nil
                activitySince = nil
            }
        }
    }

    /// `nil`: no evidence for a change (keep what is reported).
    private func propose(features: GaitAnalyzer.Features, gyroNorm: Double) -> Proposal? {
        let p = parameters
        let angles = latestAngles
        let inclination = angles.pelvisInclination
        // Bent over is a sagittal pose; on a side the sagittal angles are undefined noise.
        let bentOver = angles.pelvicTilt > 0 && abs(angles.pelvicObliquity) < p.bentOverMaxObliquity
            && (angles.lumbarFlexion ?? 0) > p.bentOverFlexion
        let lyingThreshold = activity == .lying ? p.lyingExitInclination : p.lyingEnterInclination
        if inclination > lyingThreshold && !bentOver { return .activity(.lying) }

        let walking =
            activity == .walking
            ? features.rms > p.walkingExitRMS && features.periodicity > p.walkingExitPeriodicity
            : features.rms > p.walkingEnterRMS && features.periodicity > p.walkingEnterPeriodicity
                && features.periodicity - features.halfPeriodCorrelation > p.walkingAntiphaseContrast
        if walking { return .activity(.walking) }

        guard let reference = latestReference else { return .unknown }
        if gyroNorm > p.transientAngularRate { return nil }
        // 0 at standing tall, 1 at the sitting reference.
        let score = angles.pelvicTilt / min(reference.pelvicTilt, -p.minimumSittingTiltSeparation)
        if score >= 0.5 + p.sitStandHysteresis { return .activity(.sitting) }
        if score <= 0.5 - p.sitStandHysteresis && angles.pelvicTilt <= p.anteriorAmbiguityTilt {
            return .activity(.standing)
        }
        // Dead band or ambiguous anterior tilt: keep sitting/standing; coming from
        // walking, lying or nothing, the nearer pose is the best guess.
        if activity == .sitting || activity == .standing { return nil }
        return .activity(score < 0.5 ? .standing : .sitting)
    }

    /// Whether `proposal` is the change from sitting to standing.
    private func isStandingUp(_ proposal: Proposal) -> Bool { activity == .sitting && proposal == .activity(.standing) }

    private func dwell(_ proposal: Proposal, at t: Double) -> Double {
        if isStandingUp(proposal) && t - rise.lastRise > parameters.riseMemory {
            return parameters.standingWithoutRiseDwell
        }
        return switch proposal {
        case .activity(.walking): parameters.walkingDwell
        case .activity(.lying): parameters.lyingDwell
        case .activity(.sitting), .activity(.standing), .unknown: parameters.postureDwell
        }
    }

    // MARK: - Steps

    private mutating func countStep(at t: Double) {
        if activity == .walking {
            stepCount += 1
            return
        }
        // Not (yet) walking: hold the step until walking is confirmed; a quiet moment
        // or a run too long to be the start of walking discards the held steps.
        if pendingSteps == 0 || t - pendingSince > Self.maxPendingStepRun {
            pendingSteps = 0
            pendingSince = t
        }
        pendingSteps += 1
    }

    private mutating func commitPendingSteps() {
        stepCount += pendingSteps
        pendingSteps = 0
    }
}
