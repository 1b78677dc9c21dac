/// Measures how far the hips rose or sank in each movement between two quiet moments, from
/// the earth-frame vertical specific force.
///
/// Why: sitting down lowers the hips ~0.4 m and standing up raises them as much, whatever the
/// angles; leaning over a desk, fidgeting or a brief bend moves the sacrum < 0.1 m net. On
/// real waist-worn sensors the pelvic tilt of sitting can equal that of standing (HAPT: a
/// third of the sittings after lying are within 5° of standing tall), so the angles alone
/// cannot tell the postures apart, but the vertical displacement of the transition can.
///
/// How: zero-velocity updates, the pedestrian dead-reckoning idea, over one movement.
/// - *Quiet*: the vertical specific force stays within `quietRMS` of its own short mean and
///   the pelvis barely turns. Judged against the signal's own mean, never against 9.81 m/s²,
///   so an accelerometer whose scale or offset is off by the datasheet's ±3% / ±80 mg is
///   still quiet at rest.
/// - While quiet, the sensor's reading of gravity in this pose, g₀ (it absorbs the
///   accelerometer's scale and offset error), and earth-up in the sensor frame, u₀, are
///   tracked. A movement runs from the last quiet moment to the next; it is integrated twice.
/// - The accelerometer error depends on the orientation, so the gravity reading at the end
///   pose, g₁, differs from g₀ (HAPT: 10.1 m/s² standing, 9.8 sitting). The gravity
///   subtracted during the movement is interpolated between g₀ and g₁ by how far the sensor
///   has turned from u₀ towards u₁, a first-order model of the error in the orientation.
/// - Velocity is zero at both ends, so what is left of it at the end is the remaining bias:
///   it is removed as a linear ramp (the ZUPT correction). What remains is the net height
///   change of the movement.
///
/// Everything is running sums over the movement (O(1) memory and work per bin): the
/// double integral and both corrections are linear in the bins' values, so the height
/// follows in closed form once g₁ and u₁ are known (see `heightChange`).
struct HipHeightTracker: Sendable {
    /// A completed movement.
    struct Movement: Sendable, Equatable {
        /// When it began and ended (the first and last moving bin), s.
        var start: Double
        var end: Double
        /// Net rise of the pelvis, m (negative: it sank).
        var heightChange: Double
        /// Whether it was short enough for the double integral to be trusted.
        var isMeasured: Bool
    }

    /// RMS of the vertical specific force about its `quietMeanTau` mean below which the
    /// pelvis is quiet, m/s². Standing sway and breathing give 0.02–0.1 (HAPT 0.03–0.15 in
    /// its still segments); the push of even a slow (3 s) stand-up peaks above 0.3.
    static let quietRMS = 0.2
    /// And the pelvis turns slower than this (low-passed |ω|, rad/s): sway stays < 0.1.
    static let quietAngularRate = 0.3
    /// Quiet must last this long for a movement to end: around the velocity peak of a slow
    /// stand-up the acceleration passes through zero for a few tenths of a second.
    static let quietDuration = 0.5
    static let quietMeanTau = 0.5
    static let quietRMSTau = 0.3
    /// The quiet verdict lags the signal by about `quietRMSTau`; the movement's integral
    /// starts this long before it was first noticed, from the gravity reading of then.
    static let onsetLookBack = 0.4
    /// Longer movements are not measured: an uncorrected accelerometer error of 0.05 m/s²
    /// grows into ~b·T²/12 of height error, 0.13 m at 8 s, a third of a sit-to-stand.
    static let maxMovementDuration = 8.0
    /// Below this turn between the end poses (as |u₁ − u₀|, ≈ radians) the gravity reading
    /// is interpolated in time instead of by orientation.
    static let minimumTurnForOrientationModel = 0.05
    /// A movement is measured only from a quiet pose averaged over at least this many bins
    /// (0.2 s at 25 Hz), so g₀ is not one noisy reading.
    static let minimumAnchorBins = 5

    private let binPeriod: Double
    private let meanAlpha: Double
    private let rmsAlpha: Double
    private let lookBackBins: Int

    /// Short mean and RMS of the vertical specific force.
    private var mean: Double?
    private var meanSquare = 0.0
    private var quietFor = 0.0
    private var angularRate = 0.0
    /// The quiet-pose readings, averaged over the current quiet stretch.
    private var quietSums = PoseSums()
    /// The last `lookBackBins` bins with the quiet pose as of each.
    private var recent: [RecentBin]
    private var recentHead = 0
    private var recentCount = 0
    /// The movement being integrated, with its starting pose; `nil` while quiet.
    private var movement: MovementSums?

    init(binPeriod: Double) {
        self.binPeriod = binPeriod
        meanAlpha = 1 - Double.exp(-binPeriod / Self.quietMeanTau)
        rmsAlpha = 1 - Double.exp(-binPeriod / Self.quietRMSTau)
        lookBackBins = max(1, Int((Self.onsetLookBack / binPeriod).rounded()))
        recent = Array(repeating: RecentBin(), count: lookBackBins + 1)
    }

    /// Whether the pelvis is quiet now (and has been for `quietDuration`).
    var isQuiet: Bool { movement == nil && quietFor >= Self.quietDuration }

    /// How long the pelvis has been quiet (its whole quiet stretch), s; 0 unless `isQuiet`.
    var quietTime: Double { isQuiet ? quietFor : 0 }

    /// How long the movement in progress has lasted at `t`, s (0 while quiet).
    func movementDuration(at t: Double) -> Double { movement.map { t - $0.start } ?? 0 }

    /// Forgets the signal and any movement in progress (after a gap in the samples).
    mutating func reset() {
        mean = nil
        meanSquare = 0
        quietFor = 0
        angularRate = 0
        quietSums = PoseSums()
        recentHead = 0
        recentCount = 0
        movement = nil
    }

    /// Processes one bin: mean vertical specific force (m/s²), mean earth-up in the sensor
    /// frame (unit), mean |ω| (rad/s), ending at `t`. Returns the movement that just ended.
    mutating func process(verticalForce f: Double, up: Vector3, angularRate rate: Double, t: Double) -> Movement? {
        let m = mean ?? f
        mean = m + meanAlpha * (f - m)
        let deviation = f - (mean ?? f)
        meanSquare += rmsAlpha * (deviation * deviation - meanSquare)
        angularRate += rmsAlpha * (rate - angularRate)
        let quietNow = meanSquare.squareRoot() < Self.quietRMS && angularRate < Self.quietAngularRate

        var ended: Movement?
        if quietNow {
            quietFor += binPeriod
            quietSums.add(force: f, up: up)
            movement?.add(force: f, up: up)
            if quietFor >= Self.quietDuration, let moving = movement {
                ended = moving.finish(endPose: quietSums, end: t - quietFor, binPeriod: binPeriod)
                movement = nil
            }
        } else {
            startMovementIfNeeded()
            quietFor = 0
            quietSums = PoseSums()
            movement?.add(force: f, up: up)
        }
        remember(RecentBin(force: f, up: up, t: t, pose: quietSums.count > 0 ? quietSums : nil))
        return ended
    }

    // MARK: - Movement bookkeeping

    /// A quiet stretch just broke: a movement begins `lookBackBins` ago, from the quiet
    /// pose as of then, unless one is already running (a pause shorter than `quietDuration`).
    private mutating func startMovementIfNeeded() {
        guard movement == nil else { return }
        // Oldest remembered bin that still had a quiet pose: the integral starts after it.
        var start: MovementSums?
        for back in stride(from: min(recentCount, lookBackBins), through: 1, by: -1) {
            let bin = recent[(recentHead - back + recent.count) % recent.count]
            if start == nil, let pose = bin.pose, pose.count >= Self.minimumAnchorBins {
                start = MovementSums(startPose: pose, start: bin.t)
            } else {
                start?.add(force: bin.force, up: bin.up)
            }
        }
        movement = start
    }

    private mutating func remember(_ bin: RecentBin) {
        recentHead = (recentHead + 1) % recent.count
        recent[recentHead] = bin
        recentCount = min(recentCount + 1, recent.count)
    }
}

/// One remembered bin, for the look-back at a movement's onset.
private struct RecentBin: Sendable {
    var force = 0.0
    var up = Vector3.zero
    var t = 0.0
    /// The quiet pose as of this bin, `nil` if the pelvis was moving.
    var pose: PoseSums?
}

/// Mean gravity reading and earth-up of a quiet stretch.
private struct PoseSums: Sendable {
    var count = 0
    var force = 0.0
    var up = Vector3.zero

    mutating func add(force f: Double, up u: Vector3) {
        count += 1
        force += f
        up += u
    }

    var meanForce: Double { force / Double(max(count, 1)) }
    var meanUp: Vector3 { up / Double(max(count, 1)) }
}

/// The running sums of one movement from which `heightChange` follows in closed form.
private struct MovementSums: Sendable {
    let g0: Double
    let u0: Vector3
    let start: Double
    /// Bins j = 1…n: Σ fⱼ, Σ j·fⱼ, Σ uⱼ, Σ j·uⱼ.
    var n = 0
    var f0 = 0.0
    var f1 = 0.0
    var u0Sum = Vector3.zero
    var u1Sum = Vector3.zero

    init(startPose: PoseSums, start: Double) {
        g0 = startPose.meanForce
        u0 = startPose.meanUp
        self.start = start
    }

    mutating func add(force f: Double, up u: Vector3) {
        n += 1
        let j = Double(n)
        f0 += f
        f1 += j * f
        u0Sum += u
        u1Sum += j * u
    }

    /// The movement, ending in the quiet pose `endPose` (g₁, u₁).
    ///
    /// With aⱼ = fⱼ − g(j) the bias-corrected vertical acceleration and dt the bin period,
    /// the double integral with zero velocity at both ends (a linear ramp removed from the
    /// velocity) is h = dt²·(A₀·(n+1)/2 − A₁), A₀ = Σ aⱼ, A₁ = Σ j·aⱼ. The gravity model
    /// g(j) = g₀ + (g₁ − g₀)·pⱼ, with pⱼ = (uⱼ − u₀)·d/|d|², d = u₁ − u₀, is linear in uⱼ, so
    /// A₀ and A₁ come from the four running sums.
    func finish(endPose: PoseSums, end: Double, binPeriod dt: Double) -> HipHeightTracker.Movement {
        let nD = Double(n)
        let s1 = nD * (nD + 1) / 2
        let g1 = endPose.meanForce
        let d = endPose.meanUp - u0
        var a0 = f0 - g0 * nD
        var a1 = f1 - g0 * s1
        if d.norm >= HipHeightTracker.minimumTurnForOrientationModel {
            let c = (g1 - g0) / d.squaredNorm
            a0 -= c * (u0Sum - nD * u0).dot(d)
            a1 -= c * (u1Sum - s1 * u0).dot(d)
        } else {
            // Turned too little to interpolate by orientation: interpolate in time, pⱼ = j/n.
            let s2 = nD * (nD + 1) * (2 * nD + 1) / 6
            a0 -= (g1 - g0) * s1 / max(nD, 1)
            a1 -= (g1 - g0) * s2 / max(nD, 1)
        }
        let height = dt * dt * (a0 * (nD + 1) / 2 - a1)
        let measured = end - start <= HipHeightTracker.maxMovementDuration && height.isFinite
        return .init(start: start, end: end, heightChange: measured ? height : 0, isMeasured: measured)
    }
}
