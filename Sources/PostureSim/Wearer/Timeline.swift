import PostureCore

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
    /// step frequencies and turns, and the `motion` of a person who is never still
    /// (breathing, sway, weight shifts); each segment uses its own random streams.
    public init(_ segments: [PostureSegment], seed: UInt64, motion: HumanMotion = .restless) {
        let segments = segments.filter { $0.duration > 0 && $0.duration.isFinite }
        var plans: [Plan] = []
        var t = 0.0
        var heading = 0.0
        var steps = 0
        var breathingRng = SplitMix64(seed: seed, stream: 0xB4EA_7400)
        let breathing = Breathing(rng: &breathingRng)
        for (index, segment) in segments.enumerated() {
            var rng = SplitMix64(seed: seed, stream: UInt64(index))
            var motionRng = SplitMix64(seed: seed, stream: 0x5A7A_0000 &+ UInt64(index))
            let previous = plans.last?.segment
            let transition = previous.map {
                min(segment.duration, max(0.2, segment.transition ?? Plan.defaultTransition($0.activity, segment.activity)))
            } ?? 0
            heading += segment.turn
            let plan = Plan(
                segment: segment, start: t, transition: transition, heading: heading, stepsBefore: steps,
                motion: motion, breathing: breathing, rng: &rng, motionRng: &motionRng)
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
        // Sway of the hip, blended like the pose: p = (1 − s) p₀ + s p₁, so
        // p'' = (1 − s) p₀'' + s p₁'' + 2 s' (p₁' − p₀') + s'' (p₁ − p₀).
        let sway0 = previous.swayHip(at: t), sway1 = current.swayHip(at: t)
        let sway = (1 - b.s) * sway0.acceleration + b.s * sway1.acceleration
            + 2 * b.ds * (sway1.velocity - sway0.velocity) + b.dds * (sway1.position - sway0.position)
        a += sway.x * forwardDir + sway.y * leftDir
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

