import PostureCore

/// Level walking: pelvis and trunk oscillations at step and stride frequency, the
/// hip centre's bounce, and heading changes (turns) along the way.
///
/// Amplitudes from gait literature for healthy adults at a comfortable speed (Perry,
/// *Gait Analysis*; Zijlstra & Hof 2003 for trunk accelerations).
struct Gait: Sendable {
    // MARK: Constants

    /// Range of comfortable step frequencies, Hz (cadence 100–115 steps/min).
    static let stepFrequencyRange = 1.65...1.95
    /// Step length, m; speed = step frequency × step length (≈ 1.2–1.4 m/s).
    static let stepLength = 0.70
    /// Vertical acceleration of the pelvis at the step frequency, m/s² (amplitude).
    static let verticalAccel = 2.5
    /// Its second harmonic, m/s²: the double bump of loading response.
    static let verticalAccelHarmonic = 0.6
    /// Antero-posterior acceleration at the step frequency, m/s².
    static let forwardAccel = 1.2
    /// Medio-lateral acceleration at the stride frequency (half the step frequency), m/s².
    static let lateralAccel = 0.7
    /// Pelvic tilt oscillation at the step frequency, degrees.
    static let tiltAmplitude = 1.5
    /// Pelvic obliquity oscillation at the stride frequency, degrees (swing side drops).
    static let obliquityAmplitude = 3.5
    /// Pelvic axial rotation at the stride frequency, degrees.
    static let rotationAmplitude = 4.5
    /// Lumbar flexion oscillation at the step frequency, degrees.
    static let lumbarFlexionAmplitude = 1.0
    /// The lumbar segment's obliquity compensates part of the pelvis's (lateral bending).
    static let lumbarLateralFactor = -0.6
    /// The trunk counter-rotates against the pelvis.
    static let lumbarRotationFactor = -0.4
    /// Mean time between turns while walking, s, and the range of a turn's angle, degrees.
    static let meanTimeBetweenTurns = 25.0
    static let turnAngleRange = 45.0...180.0
    /// Turning rate, degrees per second (plus a second to settle).
    static let turnRate = 90.0

    /// A heading change during a walk.
    struct Turn: Sendable {
        var start: Double
        var duration: Double
        var angle: Double
    }

    // MARK: State

    /// Hz.
    let stepFrequency: Double
    /// Time of the first step (the walk segment's start), s.
    let origin: Double
    /// Non-overlapping, in time order.
    let turns: [Turn]
    /// Sum of the angles of `turns`, degrees.
    let totalTurn: Double

    var speed: Double { stepFrequency * Gait.stepLength }

    /// A gait for a walk in `[start, end)`, its turns drawn from `rng`.
    init(start: Double, end: Double, rng: inout SplitMix64) {
        stepFrequency = rng.uniform(Gait.stepFrequencyRange)
        origin = start
        var turns: [Turn] = []
        var t = start + rng.exponential(mean: Gait.meanTimeBetweenTurns)
        while true {
            let angle = rng.uniform(Gait.turnAngleRange) * (rng.uniform() < 0.5 ? -1 : 1)
            let duration = abs(angle) / Gait.turnRate + 1
            guard t + duration < end - 2 else { break }
            turns.append(Turn(start: t, duration: duration, angle: angle))
            t += duration + rng.exponential(mean: Gait.meanTimeBetweenTurns)
        }
        self.turns = turns
        totalTurn = turns.reduce(0) { $0 + $1.angle }
    }

    /// Heading change since the walk started, degrees.
    func headingChange(at t: Double) -> Double {
        var sum = 0.0
        for turn in turns {
            if t >= turn.start + turn.duration {
                sum += turn.angle
            } else {
                if t > turn.start { sum += turn.angle * MinimumJerk.s((t - turn.start) / turn.duration) }
                break
            }
        }
        return sum
    }

    /// Step phase, radians: 2π per step, 0 at each heel strike.
    func phase(at t: Double) -> Double { 2 * .pi * stepFrequency * (t - origin) }

    /// Steps completed at `t` (one per heel strike after the first), for at most `duration` s.
    func steps(at t: Double, duration: Double) -> Int {
        let elapsed = min(t - origin, duration)
        return elapsed > 0 ? Int((elapsed * stepFrequency).rounded(.down)) : 0
    }

    /// Oscillation of the segment angles about the walking posture, degrees.
    func poseOffset(at t: Double) -> BodyPose {
        let p = phase(at: t)
        let stride = 0.5 * p
        let obliquity = Gait.obliquityAmplitude * Double.sin(stride)
        let rotation = Gait.rotationAmplitude * Double.cos(stride)
        return BodyPose(
            heading: headingChange(at: t),
            pelvicTilt: Gait.tiltAmplitude * Double.sin(p + 1.0),
            pelvicObliquity: obliquity,
            pelvicRotation: rotation,
            lumbarFlexion: Gait.lumbarFlexionAmplitude * Double.sin(p - 0.5),
            lumbarLateral: Gait.lumbarLateralFactor * obliquity,
            lumbarRotation: Gait.lumbarRotationFactor * rotation)
    }

    /// Oscillating acceleration of the hip centre, earth frame, m/s²; `heading` in degrees.
    /// Zero mean over a stride: the walking speed itself is handled by the timeline.
    func acceleration(at t: Double, heading: Double) -> Vector3 {
        let p = phase(at: t)
        let up = Gait.verticalAccel * Double.cos(p) + Gait.verticalAccelHarmonic * Double.cos(2 * p + 0.8)
        let forward = Gait.forwardAccel * Double.sin(p)
        let left = Gait.lateralAccel * Double.cos(0.5 * p)
        let h = heading.radians
        let c = Double.cos(h), s = Double.sin(h)
        return Vector3(forward * c - left * s, forward * s + left * c, up)
    }
}
