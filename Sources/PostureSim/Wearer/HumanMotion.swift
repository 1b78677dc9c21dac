import PostureCore

/// The small movements of a real person who is never still, on top of the scripted postures.
public struct HumanMotion: Sendable, Equatable {
    /// Postural sway while standing, with the matching hip accelerations.
    public var sway: Bool
    /// Breathing in every posture.
    public var breathing: Bool
    /// Occasional small weight shifts while sitting (`PostureSegment.weightShiftsPerMinute`).
    public var weightShifts: Bool

    public init(sway: Bool, breathing: Bool, weightShifts: Bool) {
        self.sway = sway
        self.breathing = breathing
        self.weightShifts = weightShifts
    }

    /// A real person: sways, breathes, shifts weight.
    public static let restless = HumanMotion(sway: true, breathing: true, weightShifts: true)
    /// A mannequin: only the scripted postures, fidgets and gait (physics and convention tests).
    public static let still = HumanMotion(sway: false, breathing: false, weightShifts: false)
}

/// Breathing: a slow sinusoidal flexion of the lumbar spine with a smaller pelvic tilt,
/// one rate and depth per wearer (quiet breathing 12–18 breaths/min).
struct Breathing: Sendable {
    /// Breaths per second.
    static let rateRange = 0.2...0.3
    /// Lumbar flexion amplitude, degrees (a fraction of a degree at rest).
    static let lumbarRange = 0.2...0.5
    /// Pelvic tilt amplitude, degrees.
    static let pelvisRange = 0.05...0.2

    let rate: Double
    let lumbar: Double
    let pelvis: Double
    let phase: Double

    static let none = Breathing(rate: 0, lumbar: 0, pelvis: 0, phase: 0)

    init(rate: Double, lumbar: Double, pelvis: Double, phase: Double) {
        self.rate = rate
        self.lumbar = lumbar
        self.pelvis = pelvis
        self.phase = phase
    }

    init(rng: inout SplitMix64) {
        self.init(
            rate: rng.uniform(Breathing.rateRange), lumbar: rng.uniform(Breathing.lumbarRange),
            pelvis: rng.uniform(Breathing.pelvisRange), phase: rng.uniform(0...(2 * .pi)))
    }

    func offset(at t: Double) -> BodyPose {
        let b = Double.sin(2 * .pi * rate * t + phase)
        return BodyPose(pelvicTilt: pelvis * b, lumbarFlexion: lumbar * b)
    }
}

/// Quiet-standing postural sway: per plane a slow (0.15–0.35 Hz) and a faster (0.5–1 Hz)
/// oscillation of the pelvis angle, with the hip centre swaying in phase (an inverted
/// pendulum about the ankles), so the angles and the hip's accelerations agree.
/// Pelvis sway of 0.3–1° and hip accelerations of a few cm/s² are those of healthy adults
/// in quiet stance (Winter 1995, "Human balance and posture control during standing").
struct PosturalSway: Sendable {
    struct Component: Sendable {
        /// rad/s.
        var omega: Double
        var phase: Double
        /// Angle amplitude, degrees.
        var angle: Double
        /// Hip displacement amplitude, m.
        var displacement: Double
    }

    /// Total angle amplitude per plane, degrees, and the share of the slow component.
    static let angleRange = 0.3...1.0
    static let slowShare = 0.8
    static let slowFrequency = 0.15...0.35
    static let fastFrequency = 0.5...1.0
    /// Hip displacement amplitudes, m: slow and fast components (horizontal hip
    /// accelerations of ~0.02–0.1 m/s² follow: displacement × ω²).
    static let slowDisplacement = 0.004...0.012
    static let fastDisplacement = 0.0015...0.003

    /// (slow, fast) in the sagittal plane (tilt, forward) and the frontal plane (obliquity, left).
    let sagittal: (Component, Component)
    let frontal: (Component, Component)

    init(rng: inout SplitMix64) {
        func plane() -> (Component, Component) {
            let total = rng.uniform(PosturalSway.angleRange)
            func component(_ f: ClosedRange<Double>, _ share: Double, _ d: ClosedRange<Double>) -> Component {
                Component(
                    omega: 2 * .pi * rng.uniform(f), phase: rng.uniform(0...(2 * .pi)), angle: total * share,
                    displacement: rng.uniform(d))
            }
            return (
                component(PosturalSway.slowFrequency, PosturalSway.slowShare, PosturalSway.slowDisplacement),
                component(PosturalSway.fastFrequency, 1 - PosturalSway.slowShare, PosturalSway.fastDisplacement))
        }
        sagittal = plane()
        frontal = plane()
    }

    private static func wave(_ c: (Component, Component), _ t: Double, _ amplitude: (Component) -> Double) -> Double {
        amplitude(c.0) * Double.sin(c.0.omega * t + c.0.phase) + amplitude(c.1) * Double.sin(c.1.omega * t + c.1.phase)
    }

    func offset(at t: Double) -> BodyPose {
        BodyPose(
            pelvicTilt: PosturalSway.wave(sagittal, t) { $0.angle },
            pelvicObliquity: PosturalSway.wave(frontal, t) { $0.angle })
    }

    /// Hip displacement, velocity and acceleration (m, m/s, m/s²) as (forward, left) in the
    /// body's heading frame. Anterior tilt goes with the hip forward; left side up with the
    /// hip moving right (the pelvis rolls over the stance leg), hence the minus sign.
    func hip(at t: Double) -> (position: Vector3, velocity: Vector3, acceleration: Vector3) {
        func derivatives(_ c: (Component, Component)) -> (Double, Double, Double) {
            var p = 0.0, v = 0.0, a = 0.0
            for k in [c.0, c.1] {
                let x = k.omega * t + k.phase
                p += k.displacement * Double.sin(x)
                v += k.displacement * k.omega * Double.cos(x)
                a -= k.displacement * k.omega * k.omega * Double.sin(x)
            }
            return (p, v, a)
        }
        let f = derivatives(sagittal), l = derivatives(frontal)
        return (Vector3(f.0, -l.0, 0), Vector3(f.1, -l.1, 0), Vector3(f.2, -l.2, 0))
    }
}

/// Small weight shifts while sitting: now and then the pelvis settles into a slightly
/// different tilt and obliquity (and the lumbar spine follows a little), reached by a
/// 1–2 s minimum-jerk movement and held until the next shift.
struct WeightShifts: Sendable {
    struct Shift: Sendable {
        var start: Double
        var duration: Double
        /// The held offset after this shift.
        var target: BodyPose
    }

    /// Duration of a shift, s.
    static let durationRange = 1.0...2.0
    /// 1σ of the held offsets, degrees: tilt, obliquity, flexion.
    static let tilt = 0.7, obliquity = 0.8, flexion = 1.0

    let shifts: [Shift]

    static let none = WeightShifts(shifts: [])

    init(shifts: [Shift]) { self.shifts = shifts }

    /// Shifts as a Poisson process over `[from, to)`, at `perMinute`.
    init(from: Double, to: Double, perMinute: Double, rng: inout SplitMix64) {
        var shifts: [Shift] = []
        if perMinute > 0 {
            let mean = 60 / perMinute
            var t = from + rng.exponential(mean: mean)
            while true {
                let d = rng.uniform(WeightShifts.durationRange)
                guard t + d < to - 0.5 else { break }
                let target = BodyPose(
                    pelvicTilt: WeightShifts.tilt * rng.gaussian(), pelvicObliquity: WeightShifts.obliquity * rng.gaussian(),
                    lumbarFlexion: WeightShifts.flexion * rng.gaussian())
                shifts.append(Shift(start: t, duration: d, target: target))
                t += d + rng.exponential(mean: mean)
            }
        }
        self.shifts = shifts
    }

    func offset(at t: Double) -> BodyPose {
        // Last shift starting at or before t.
        var lo = 0, hi = shifts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if shifts[mid].start <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return .zero }
        let shift = shifts[lo - 1]
        let before = lo > 1 ? shifts[lo - 2].target : .zero
        return BodyPose.blend(before, shift.target, MinimumJerk.s((t - shift.start) / shift.duration))
    }
}
