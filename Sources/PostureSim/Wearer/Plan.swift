import PostureCore

/// One compiled segment.
struct Plan: Sendable {
    /// A brief random excursion from the held posture.
    struct Fidget: Sendable {
        var start: Double
        var duration: Double
        var size: BodyPose
    }

    // MARK: Constants
    /// Fidget duration range, s.
    static let fidgetDuration = 1.0...5.0

    static func defaultTransition(_ from: Activity, _ to: Activity) -> Double {
        if from == to { return 1.5 }
        if from == .lying || to == .lying { return 3.0 }
        switch (from, to) {
        case (.sitting, .standing), (.standing, .sitting): return 2.0
        case (.sitting, .walking), (.walking, .sitting): return 2.5
        default: return 1.5
        }
    }

    /// Extra anterior pelvic tilt at seat-off when standing up or sitting down, degrees
    /// (trunk flexion-momentum phase of sit-to-stand, Schenkman et al. 1990).
    static let seatOffTrunkLean = 25.0

    static func seatOffLean(_ from: Activity, _ to: Activity) -> Double {
        forwardShift(from, to) == 0 ? 0 : seatOffTrunkLean
    }

    static func forwardShift(_ from: Activity, _ to: Activity) -> Double {
        let upright: Set<Activity> = [.standing, .walking]
        if from == .sitting, upright.contains(to) { return BodyModel.sitToStandForwardShift }
        if upright.contains(from), to == .sitting { return -BodyModel.sitToStandForwardShift }
        return 0
    }

    let segment: PostureSegment
    let start: Double
    let transition: Double
    let base: BodyPose
    let fidgets: [Fidget]
    let breathing: Breathing
    /// While standing (with `HumanMotion.sway`).
    let sway: PosturalSway?
    let weightShifts: WeightShifts
    let gait: Gait?
    let endHeading: Double
    let stepsBefore: Int

    var speed: Double { gait?.speed ?? 0 }

    /// The hip centre's sway (zero when not standing), heading frame: see `PosturalSway.hip`.
    func swayHip(at t: Double) -> (position: Vector3, velocity: Vector3, acceleration: Vector3) {
        sway?.hip(at: t) ?? (.zero, .zero, .zero)
    }

    /// `rng` draws the fidgets and gait (as before the human-motion model existed, so those
    /// do not shift); `motionRng` draws the sway and weight shifts.
    init(segment: PostureSegment, start: Double, transition: Double, heading: Double, stepsBefore: Int,
         motion: HumanMotion, breathing: Breathing, rng: inout SplitMix64, motionRng: inout SplitMix64) {
        self.segment = segment
        self.start = start
        self.transition = transition
        self.stepsBefore = stepsBefore
        base = BodyPose(
            heading: heading, pelvicTilt: segment.pelvicTilt, pelvicObliquity: segment.pelvicObliquity,
            lumbarFlexion: segment.lumbarFlexion)
        let end = start + segment.duration
        // Fidgets: a Poisson process after the transition, ending 0.5 s before the segment.
        var fidgets: [Fidget] = []
        if segment.fidgetsPerMinute > 0 {
            let mean = 60 / segment.fidgetsPerMinute
            let size = segment.kind.fidgetSize
            var t = start + transition + rng.exponential(mean: mean)
            while true {
                let d = rng.uniform(Plan.fidgetDuration)
                guard t + d < end - 0.5 else { break }
                let pose = BodyPose(
                    heading: size.heading * rng.gaussian(), pelvicTilt: size.pelvicTilt * rng.gaussian(),
                    pelvicObliquity: size.pelvicObliquity * rng.gaussian(),
                    lumbarFlexion: size.lumbarFlexion * rng.gaussian())
                fidgets.append(Fidget(start: t, duration: d, size: pose))
                t += d + rng.exponential(mean: mean)
            }
        }
        let scripted = segment.scriptedMoves.map {
            Fidget(start: start + $0.start, duration: $0.duration,
                   size: BodyPose(pelvicTilt: $0.pelvicTilt, pelvicObliquity: $0.pelvicObliquity))
        }
        // Fidgets do not overlap (`activeFidget`): drawn ones give way to scripted ones.
        let free = fidgets.filter { f in
            !scripted.contains { $0.start < f.start + f.duration && f.start < $0.start + $0.duration }
        }
        self.fidgets = (free + scripted).sorted { $0.start < $1.start }
        self.breathing = motion.breathing ? breathing : .none
        sway = motion.sway && segment.activity == .standing ? PosturalSway(rng: &motionRng) : nil
        weightShifts = motion.weightShifts
            ? WeightShifts(from: start + transition, to: end, perMinute: segment.weightShiftsPerMinute, rng: &motionRng)
            : .none
        gait = segment.kind == .walk ? Gait(start: start, end: end, rng: &rng) : nil
        endHeading = heading + (gait?.totalTurn ?? 0)
    }

    /// The held posture at `t` (also beyond the segment, for blending into the next one).
    func pose(at t: Double) -> BodyPose {
        var pose = base + breathing.offset(at: t) + weightShifts.offset(at: t)
        if let sway { pose = pose + sway.offset(at: t) }
        if let gait { pose = pose + gait.poseOffset(at: t) }
        if let fidget = activeFidget(at: t) {
            pose = pose + fidget.size * MinimumJerk.bump(t - fidget.start, duration: fidget.duration)
        }
        return pose
    }

    private func activeFidget(at t: Double) -> Fidget? {
        // Last fidget starting at or before t (they do not overlap).
        var lo = 0, hi = fidgets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if fidgets[mid].start <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let f = fidgets[lo - 1]
        return t < f.start + f.duration ? f : nil
    }
}
