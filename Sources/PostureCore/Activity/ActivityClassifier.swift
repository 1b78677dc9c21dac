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
/// 3. **Sitting / standing** (upright, not walking): two kinds of evidence, each used in
///    both directions.
///    - *The transition*, strong: the net rise or fall of the hips over the movement between
///      two quiet moments (`HipHeightTracker`, from the earth-frame vertical specific force).
///      Standing up raises them ~0.4 m, sitting down lowers them as much; leaning over a
///      desk, fidgeting or bending and coming back up moves them < 0.1 m net. A measured fall
///      of `descentHeight` from standing is sitting, a rise of `riseHeight` from sitting is
///      standing, and out of lying the hips rise `riseFromLyingHeight` only to stand (sitting
///      up on the bed or the floor lifts them little). Reported once the pelvis is quiet
///      again (`eventDwell`).
///    - *The pose*, weak: the pelvic tilt against the wearer's two calibrated poses, a score
///      0 at standing tall and 1 at sitting upright (slouching scores > 1). Above 0.5 +
///      hysteresis is sitting-like, below 0.5 − hysteresis standing-like. Weak because real
///      people sit after lying within a few degrees of their standing tilt, and lean over a
///      desk at standing's very angles; an anterior tilt beyond `anteriorAmbiguityTilt` is
///      no evidence at all. So the pose changes the posture on its own only after a dwell:
///      `postureDwell` from standing to a sitting-like tilt (standing with the pelvis tilted
///      back like sitting is rare), `standingWithoutRiseDwell` from sitting to a
///      standing-like tilt (leaning over a desk is not). A guess (below) gives way to either
///      at `postureDwell` until the wearer has settled in it. Out of walking the wearer is standing unless the tilt is
///      sitting-like; with nothing else known (start-up, an unmeasured movement out of
///      lying) the nearer pose is the best guess.
///    While the pelvis turns fast the angles are a transition and are not used. Lumbar
///    flexion is not used: its sitting-upright value is within its own variation in either
///    posture. Uncalibrated (no reference): upright and still is reported as `nil`
///    (unknown), never guessed: the sacrum's own inclination makes absolute tilt meaningless.
///
/// A proposal must hold for its dwell (`walkingDwell` 1 s, `lyingDwell` 2.5 s,
/// `postureDwell` 2 s) before it is reported, so fidgets and brief leans do not flicker.
///
/// Limits: a transition that does not start or end quiet (straight out of a vibrating seat,
/// sitting down in mid-stride) or lasts longer than 8 s is not measured, and then only the
/// pose (or the first steps) tells; standing leaning back (pelvis tilted back like sitting)
/// reads as sitting; a very slow shuffle (< ~0.6 m/s² RMS at the
/// pelvis) is not walking; lying is judged from the pelvis only, so before calibration (a
/// tilted sacrum) its 60° threshold is approximate.
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
    private var hips = HipHeightTracker(binPeriod: GaitAnalyzer.binPeriod)
    private var bins = SampleBinner()
    /// Net hip height change over the movements since the wearer was last settled in the
    /// reported activity, m; `nil` when one of them was too long to measure, and until the
    /// wearer has first settled (a start in mid-movement has no height to start from).
    private var heightSinceSettled: Double?
    /// When `heightSinceSettled` was last set to 0.
    private var anchorTime = -Double.infinity
    /// The last measured movement.
    private var lastMovement: HipHeightTracker.Movement?
    /// What is reported, `.unknown` included; `nil` only before the first report.
    private var reported: Proposal?
    private var reportedIsGuess = false
    private var candidate: Proposal?
    private var candidateSince = 0.0
    /// When the candidate's evidence began: the movement's middle for a transition.
    private var candidateEvidenceSince = 0.0
    private var pendingSteps = 0
    private var pendingSince = 0.0
    private var latestAngles = SegmentAngles(pelvicTilt: 0, pelvicObliquity: 0, lumbarFlexion: nil)
    private var latestReference: SittingReference?

    /// A sample gap longer than this (or time going backwards) restarts the gait
    /// features: the signal before it cannot be correlated with the signal after it.
    static let maxSampleGap = 0.5
    /// A gap longer than this can hide a change of posture (a healthy adult stands up or sits
    /// down in 1.5–4 s), so after one the activity is unknown until it is seen again, as at
    /// start-up: nothing that needs the wearer sitting, a nudge above all, rests on a posture
    /// from before a sensor was lost.
    static let postureUnknownAfterGap = 1.5
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
    ///   - accel: pelvis specific force in the sensor frame, m/s².
    ///   - gyro: pelvis angular rate, rad/s (bias-corrected or raw: only large rates matter).
    ///   - orientation: the pelvis sensor-to-earth orientation from its filter, which turns
    ///     `accel` into the vertical specific force.
    ///   - angles: current segment angles, relative to standing tall when calibrated
    ///     (before calibration, angles from the configured mounting).
    ///   - sittingReference: the calibration's sitting pose; `nil` before calibration.
    @discardableResult
    public mutating func update(
        t: Double, accel: Vector3, gyro: Vector3, orientation: Quaternion, angles: SegmentAngles,
        sittingReference: SittingReference?
    ) -> Activity? {
        guard t.isFinite, accel.isFinite, gyro.isFinite else { return activity }
        if let gap = bins.gap(before: t), gap > Self.maxSampleGap || gap < 0 {
            gait.reset()
            hips.reset()
            heightSinceSettled = nil
            bins.restart(at: t)
            candidate = nil
            if gap > Self.postureUnknownAfterGap || gap < 0 { forgetActivity() }
        }
        while let bin = bins.closeBin(before: t) {
            process(bin)
        }
        let up = orientation.upInBodyFrame
        bins.add(t: t, accelNorm: accel.norm, gyroNorm: gyro.norm, verticalForce: up.dot(accel), up: up)
        latestAngles = angles
        latestReference = sittingReference
        return activity
    }

    /// The wearer was seen in `observed` since `since` by something surer than this
    /// classifier: the guided calibration, which has just captured them holding the pose
    /// still. Reported at once, and later movements are measured from here (settled in it).
    public mutating func observe(_ observed: Activity, since: Double) {
        guard since.isFinite else { return }
        activity = observed
        activitySince = since
        reported = .activity(observed)
        candidate = nil
        anchor(at: since)  // with no candidate, also makes the report an observed posture
    }

    /// Back to "not seen yet", keeping the step count: the next report is a start-up's.
    private mutating func forgetActivity() {
        activity = nil
        activitySince = nil
        reported = nil
        reportedIsGuess = false
        pendingSteps = 0
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
        if let movement = hips.process(verticalForce: bin.verticalForce, up: bin.up, angularRate: bin.gyroNorm, t: bin.end) {
            lastMovement = movement
            // A movement that began before the anchor (a change reported mid-movement from the
            // pose) is partly before it: its height says nothing about the anchored posture.
            let sinceAnchor = movement.isMeasured && movement.start >= anchorTime
            heightSinceSettled = sinceAnchor ? heightSinceSettled.map { $0 + movement.heightChange } : nil
        }
        let evidence = propose(features: features, gyroNorm: bin.gyroNorm, t: bin.end)
        if features.rms < parameters.walkingExitRMS { pendingSteps = 0 }
        if features.step { countStep(at: bin.end) }
        guard let evidence, evidence.proposal != reported else {
            candidate = nil
            // Settled in what is reported: later movements are measured from here.
            if hips.quietTime >= parameters.settleDuration { anchor(at: bin.end - hips.quietTime) }
            return
        }
        if candidate != evidence.proposal {
            candidate = evidence.proposal
            candidateSince = bin.end - GaitAnalyzer.binPeriod
            candidateEvidenceSince = evidence.since ?? candidateSince
        }
        if bin.end - candidateSince >= evidence.dwell {
            reportedIsGuess = evidence.isGuess
            reported = evidence.proposal
            candidate = nil
            // The new activity is the anchor of later movements, unless this is the first
            // report: the wearer was not seen getting there (a sensor lying on the desk at
            // start-up is not a wearer lying), so only settling there anchors it.
            if activity == nil { heightSinceSettled = nil } else { anchor(at: bin.end) }
            switch evidence.proposal {
            case .activity(let a):
                activity = a
                activitySince = min(candidateEvidenceSince, candidateSince)
                if a == .walking { commitPendingSteps() }
            case .unknown:
                activity = nil
                activitySince = nil
            }
        }
    }

    /// Later movements are measured from the posture held at `t`.
    private mutating func anchor(at t: Double) {
        heightSinceSettled = 0
        anchorTime = t
        // Settled in it: a guess is now an observed posture.
        if candidate == nil { reportedIsGuess = false }
    }

    /// A proposed change with the dwell it needs and, for a measured transition, when the
    /// movement happened.
    private struct Evidence {
        var proposal: Proposal
        var dwell: Double
        var since: Double?
        /// Only the nearer of the two poses, with nothing else known: any later evidence,
        /// the pose's included, may overrule it at the ordinary dwell.
        var isGuess = false
    }

    /// `nil`: no evidence for a change (keep what is reported).
    private func propose(features: GaitAnalyzer.Features, gyroNorm: Double, t: Double) -> Evidence? {
        let p = parameters
        let angles = latestAngles
        let inclination = angles.pelvisInclination
        // Bent over is a sagittal pose; on a side the sagittal angles are undefined noise.
        let bentOver = angles.pelvicTilt > 0 && abs(angles.pelvicObliquity) < p.bentOverMaxObliquity
            && (angles.lumbarFlexion ?? 0) > p.bentOverFlexion
        let lyingThreshold = activity == .lying ? p.lyingExitInclination : p.lyingEnterInclination
        if inclination > lyingThreshold && !bentOver { return Evidence(proposal: .activity(.lying), dwell: p.lyingDwell) }
        if isWalking(features) { return Evidence(proposal: .activity(.walking), dwell: p.walkingDwell) }

        guard let reference = latestReference else { return Evidence(proposal: .unknown, dwell: p.postureDwell) }
        if gyroNorm > p.transientAngularRate { return nil }
        let pose = poseEvidence(angles: angles, reference: reference)
        let height = hips.isQuiet ? heightSinceSettled : nil
        func transition(to a: Activity) -> Evidence {
            Evidence(proposal: .activity(a), dwell: p.eventDwell, since: lastMovement.map { ($0.start + $0.end) / 2 })
        }
        func byPose(_ a: Activity, dwell: Double) -> Evidence { Evidence(proposal: .activity(a), dwell: dwell) }
        func guess() -> Evidence {
            Evidence(proposal: .activity(nearestPose(angles: angles, reference: reference)), dwell: p.postureDwell, isGuess: true)
        }

        switch activity {
        case .sitting:
            // A full rise, or half of one with the pelvis back at standing's tilt.
            let needed = pose == .standing ? p.riseHeight * p.corroboratedFraction : p.riseHeight
            if let height, height >= needed { return transition(to: .standing) }
            guard pose == .standing else { return nil }
            return byPose(.standing, dwell: reportedIsGuess ? p.postureDwell : p.standingWithoutRiseDwell)
        case .standing:
            let needed = pose == .sitting ? p.descentHeight * p.corroboratedFraction : p.descentHeight
            if let height, height <= -needed { return transition(to: .sitting) }
            return pose == .sitting ? byPose(.sitting, dwell: p.postureDwell) : nil
        case .lying:
            // Out of lying: wait for the movement's height, unless it is too long to measure.
            if let height { return transition(to: height >= p.riseFromLyingHeight ? .standing : .sitting) }
            let unmeasurable = hips.movementDuration(at: t) > HipHeightTracker.maxMovementDuration
            return hips.isQuiet || unmeasurable ? guess() : nil
        case .walking:
            return byPose(pose == .sitting ? .sitting : .standing, dwell: p.postureDwell)
        case nil:
            return guess()
        }
    }

    private func isWalking(_ features: GaitAnalyzer.Features) -> Bool {
        let p = parameters
        if activity == .walking {
            return features.rms > p.walkingExitRMS
                && max(features.periodicity, features.stridePeriodicity) > p.walkingExitPeriodicity
        }
        guard features.rms > p.walkingEnterRMS else { return false }
        let steps = features.periodicity > p.walkingEnterPeriodicity
            && features.periodicity - features.halfPeriodCorrelation > p.walkingAntiphaseContrast
        let strides = features.stridePeriodicity > p.walkingEnterStridePeriodicity
            && features.stridePeriodicity - features.strideHalfCorrelation > p.walkingStrideContrast
        return steps || strides
    }

    /// What the pelvic tilt alone says: `nil` in the dead band or when anterior-ambiguous.
    private func poseEvidence(angles: SegmentAngles, reference: SittingReference) -> Activity? {
        let p = parameters
        let score = sittingScore(angles: angles, reference: reference)
        if score >= 0.5 + p.sitStandHysteresis { return .sitting }
        if score <= 0.5 - p.sitStandHysteresis && angles.pelvicTilt <= p.anteriorAmbiguityTilt { return .standing }
        return nil
    }

    private func nearestPose(angles: SegmentAngles, reference: SittingReference) -> Activity {
        sittingScore(angles: angles, reference: reference) < 0.5 ? .standing : .sitting
    }

    /// 0 at standing tall, 1 at the sitting reference.
    private func sittingScore(angles: SegmentAngles, reference: SittingReference) -> Double {
        angles.pelvicTilt / min(reference.pelvicTilt, -parameters.minimumSittingTiltSeparation)
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

