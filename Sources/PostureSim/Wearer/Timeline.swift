public import PostureCore

/// A named posture: what a timeline segment asks the wearer to do.
public enum PostureKind: String, Sendable, CaseIterable, Codable {
    /// Standing tall and still: the zero of every angle (calibration pose).
    case standTall
    /// Standing relaxed, shifting weight now and then.
    case stand
    /// Sitting upright: pelvis ~17° posterior, lumbar ~8° flexed (calibration pose).
    case sitUpright
    /// Slumped sitting: pelvis ~31° posterior, lumbar ~22° more flexed than upright.
    case slouch
    /// Leaning forward to the desk from the hips: pelvis tilts anteriorly, lumbar stays
    /// neutral. Must not be taken for a slouch.
    case leanForward
    /// Sitting upright with frequent brief (1–5 s) random excursions.
    case fidget
    /// Level walking with turns.
    case walk
    /// Lying on the back: trunk horizontal (pelvic tilt −90°).
    case lieSupine
    /// Lying on the left side (pelvic obliquity −90°), slightly curled.
    case lieSide

    public var activity: Activity {
        switch self {
        case .standTall, .stand: return .standing
        case .sitUpright, .slouch, .leanForward, .fidget: return .sitting
        case .walk: return .walking
        case .lieSupine, .lieSide: return .lying
        }
    }

    /// True for the postures the slouch policy should catch.
    public var isSlouch: Bool { self == .slouch }

    /// Nominal (pelvic tilt, pelvic obliquity, lumbar flexion), degrees, vs standing neutral.
    public var nominalAngles: (pelvicTilt: Double, pelvicObliquity: Double, lumbarFlexion: Double) {
        switch self {
        case .standTall: return (0, 0, 0)
        case .stand: return (-2, 0, 3)
        case .sitUpright, .fidget: return (-17, 0, 8)
        case .slouch: return (-31, 0, 30)
        case .leanForward: return (5, 0, 6)
        case .walk: return (2, 0, 2)
        case .lieSupine: return (-90, 0, 5)
        case .lieSide: return (0, -90, 12)
        }
    }

    /// Default rate of brief random excursions, per minute.
    var nominalFidgetsPerMinute: Double {
        switch self {
        case .standTall, .walk: return 0
        case .stand: return 1
        case .sitUpright, .slouch, .leanForward: return 0.5
        case .fidget: return 8
        case .lieSupine, .lieSide: return 0.2
        }
    }

    /// 1σ size of one excursion: tilt, obliquity, flexion, heading (degrees).
    var fidgetSize: BodyPose {
        self == .fidget
            ? BodyPose(heading: 12, pelvicTilt: 4, pelvicObliquity: 3, lumbarFlexion: 5)
            : BodyPose(heading: 5, pelvicTilt: 1.5, pelvicObliquity: 1, lumbarFlexion: 2)
    }
}

/// One step of a posture timeline: hold a posture for `duration` seconds, reached by a
/// smooth (minimum-jerk) transition from the previous segment's posture that takes the
/// first `transition` seconds of this segment.
public struct PostureSegment: Sendable, Equatable {
    public var kind: PostureKind
    /// Seconds, including the transition into it.
    public var duration: Double
    /// Target angles, degrees, relative to standing neutral (see `PostureKind.nominalAngles`).
    public var pelvicTilt: Double
    public var pelvicObliquity: Double
    public var lumbarFlexion: Double
    /// Brief (1–5 s) random excursions per minute.
    public var fidgetsPerMinute: Double
    /// Heading change during the transition into this segment, degrees, + = to the left.
    public var turn: Double
    /// Transition length, s; `nil` picks one from the activity change (1.5–3 s).
    public var transition: Double?

    /// A segment of `kind`; angles and fidget rate default to the kind's nominal values.
    public init(
        _ kind: PostureKind, duration: Double, pelvicTilt: Double? = nil, pelvicObliquity: Double? = nil,
        lumbarFlexion: Double? = nil, fidgetsPerMinute: Double? = nil, turn: Double = 0, transition: Double? = nil
    ) {
        let nominal = kind.nominalAngles
        self.kind = kind
        self.duration = duration
        self.pelvicTilt = pelvicTilt ?? nominal.pelvicTilt
        self.pelvicObliquity = pelvicObliquity ?? nominal.pelvicObliquity
        self.lumbarFlexion = lumbarFlexion ?? nominal.lumbarFlexion
        self.fidgetsPerMinute = fidgetsPerMinute ?? kind.nominalFidgetsPerMinute
        self.turn = turn
        self.transition = transition
    }

    public var activity: Activity { kind.activity }
}

/// A sequence of posture segments from t = 0, compiled with a seed into a smooth,
/// deterministic pose trajectory (fidget times and sizes, gait and turns).
public struct PostureTimeline: Sendable {
    /// The segments, in order.
    public let segments: [PostureSegment]
    /// Start time of each segment, s; segment `i` spans `starts[i] ..< starts[i] + duration`.
    public let starts: [Double]
    /// Total duration, s.
    public let duration: Double

    let plans: [Plan]

    /// Compiles `segments` (non-positive durations are skipped). The seed draws fidgets,
    /// step frequencies and turns; each segment uses its own random stream.
    public init(_ segments: [PostureSegment], seed: UInt64) {
        let segments = segments.filter { $0.duration > 0 && $0.duration.isFinite }
        var plans: [Plan] = []
        var t = 0.0
        var heading = 0.0
        var steps = 0
        for (index, segment) in segments.enumerated() {
            var rng = SplitMix64(seed: seed, stream: UInt64(index))
            let previous = plans.last?.segment
            let transition = previous.map {
                min(segment.duration, max(0.2, segment.transition ?? Plan.defaultTransition($0.activity, segment.activity)))
            } ?? 0
            heading += segment.turn
            let plan = Plan(
                segment: segment, start: t, transition: transition, heading: heading, stepsBefore: steps, rng: &rng)
            heading = plan.endHeading
            steps += plan.gait?.steps(at: .infinity, duration: segment.duration) ?? 0
            plans.append(plan)
            t += segment.duration
        }
        self.segments = segments
        self.plans = plans
        starts = plans.map(\.start)
        duration = t
    }

    /// Index of the segment containing `t` (clamped to the first and last).
    public func segmentIndex(at t: Double) -> Int {
        var lo = 0, hi = plans.count - 1
        guard hi > 0 else { return 0 }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if plans[mid].start <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    // MARK: Internal evaluation

    /// Which segments are mixed at `t`, and the blend weight of the current one with its
    /// time derivatives (1/s, 1/s²).
    struct Blend {
        var previous: Int
        var current: Int
        var s = 1.0
        var ds = 0.0
        var dds = 0.0
        var inTransition: Bool { previous != current }
        /// The segment whose posture the wearer is in (switches halfway through a transition).
        var dominant: Int { s >= 0.5 ? current : previous }
    }

    func blend(at t: Double) -> Blend {
        guard !plans.isEmpty else { return Blend(previous: 0, current: 0) }
        let i = segmentIndex(at: t)
        let plan = plans[i]
        guard i > 0, t < plan.start + plan.transition else { return Blend(previous: i, current: i) }
        let T = plan.transition
        let tau = (t - plan.start) / T
        return Blend(
            previous: i - 1, current: i, s: MinimumJerk.s(tau), ds: MinimumJerk.ds(tau) / T,
            dds: MinimumJerk.dds(tau) / (T * T))
    }

    func pose(at t: Double) -> BodyPose {
        guard !plans.isEmpty else { return .zero }
        let b = blend(at: t)
        let current = plans[b.current].pose(at: t)
        guard b.inTransition else { return current }
        var pose = BodyPose.blend(plans[b.previous].pose(at: t), current, b.s)
        // Rising from or lowering onto a chair, the pelvis and trunk pitch forward to bring
        // the centre of mass over the feet, most at seat-off (halfway).
        let hump = 4 * b.s * (1 - b.s)
        pose.pelvicTilt += Plan.seatOffLean(plans[b.previous].segment.activity, plans[b.current].segment.activity) * hump * hump
        return pose
    }

    /// Acceleration of the hip-joint centre, earth frame, m/s². `heading` (degrees) and
    /// `headingRate` (rad/s) are those of the blended pose.
    func hipAcceleration(at t: Double, heading: Double, headingRate: Double) -> Vector3 {
        guard !plans.isEmpty else { return .zero }
        let b = blend(at: t)
        let current = plans[b.current], previous = plans[b.previous]
        let h = heading.radians
        let forwardDir = Vector3(Double.cos(h), Double.sin(h), 0)
        let leftDir = Vector3(-Double.sin(h), Double.cos(h), 0)
        // Position along the blend: height and forward shift follow s(t); speed follows s(t).
        let rise = BodyModel.hipHeight(current.segment.activity) - BodyModel.hipHeight(previous.segment.activity)
        let shift = Plan.forwardShift(previous.segment.activity, current.segment.activity)
        let speed = previous.speed * (1 - b.s) + current.speed * b.s
        var a = Vector3(0, 0, rise * b.dds)
        a += (shift * b.dds + (current.speed - previous.speed) * b.ds) * forwardDir
        a += (speed * headingRate) * leftDir  // centripetal, while walking a curve
        if let gait = current.gait { a += b.s * gait.acceleration(at: t, heading: heading) }
        if b.inTransition, let gait = previous.gait { a += (1 - b.s) * gait.acceleration(at: t, heading: heading) }
        return a
    }

    /// Steps walked up to `t`.
    func steps(at t: Double) -> Int {
        guard !plans.isEmpty else { return 0 }
        let plan = plans[segmentIndex(at: t)]
        return plan.stepsBefore + (plan.gait?.steps(at: t, duration: plan.segment.duration) ?? 0)
    }
}

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
    /// Breathing: rate (Hz) and lumbar flexion / pelvic tilt amplitudes (degrees).
    static let breathingRate = 0.25
    static let breathingLumbar = 0.3
    static let breathingPelvis = 0.1
    /// Postural sway while standing: sagittal and frontal amplitudes (degrees), rates (Hz).
    static let swaySagittal = 0.3
    static let swayFrontal = 0.2
    static let swaySagittalRate = 0.21
    static let swayFrontalRate = 0.13

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
    let gait: Gait?
    let endHeading: Double
    let stepsBefore: Int

    var speed: Double { gait?.speed ?? 0 }

    init(segment: PostureSegment, start: Double, transition: Double, heading: Double, stepsBefore: Int,
         rng: inout SplitMix64) {
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
        self.fidgets = fidgets
        gait = segment.kind == .walk ? Gait(start: start, end: end, rng: &rng) : nil
        endHeading = heading + (gait?.totalTurn ?? 0)
    }

    /// The held posture at `t` (also beyond the segment, for blending into the next one).
    func pose(at t: Double) -> BodyPose {
        var pose = base
        let breath = Double.sin(2 * .pi * Plan.breathingRate * t)
        pose.lumbarFlexion += Plan.breathingLumbar * breath
        pose.pelvicTilt += Plan.breathingPelvis * breath
        if segment.activity == .standing {
            pose.pelvicTilt += Plan.swaySagittal * Double.sin(2 * .pi * Plan.swaySagittalRate * t + 1)
            pose.pelvicObliquity += Plan.swayFrontal * Double.sin(2 * .pi * Plan.swayFrontalRate * t + 2)
        }
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
