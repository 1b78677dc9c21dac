public import PostureCore

/// Sensor imperfections of the simulated wearer. Defaults are realistic for an MPU-6050
/// after its power-on offset calibration, sampled at ~100 Hz with a ~44 Hz low-pass.
public struct WearerConfig: Sendable, Equatable {
    /// Accelerometer white noise, 1σ per axis per sample, m/s²
    /// (MPU-6050: 400 µg/√Hz × √44 Hz ≈ 0.026 m/s²).
    public var accelNoise = 0.02
    /// Gyroscope white noise, 1σ per axis per sample, rad/s.
    public var gyroNoise = 0.002
    /// Largest constant gyroscope bias per axis, rad/s (drawn uniformly per sensor and axis).
    public var gyroBiasMax = 0.015
    /// Amplitude of the slow (thermal, 10–60 min periods) bias drift per axis, rad/s.
    public var gyroBiasDrift = 0.002
    /// Mounting misalignment per sensor: a rotation by an angle in this range (degrees)
    /// about a random axis, on top of the nominal mount.
    public var misalignmentDegrees: ClosedRange<Double> = 3...6
    /// Nominal mounting per sensor (pelvis, upper lumbar), sensor frame → segment frame.
    public var mounts: [Quaternion] = [BodyModel.defaultMount, BodyModel.defaultMount]
    /// Gravity, m/s².
    public var gravity = standardGravity

    public init() {}

    /// No noise, no bias, no misalignment: the exact kinematics.
    public static var ideal: WearerConfig {
        var c = WearerConfig()
        c.accelNoise = 0
        c.gyroNoise = 0
        c.gyroBiasMax = 0
        c.gyroBiasDrift = 0
        c.misalignmentDegrees = 0...0
        return c
    }
}

/// What the wearer is really doing at one instant: the ground truth for tests.
public struct WearerTruth: Sendable, Equatable {
    public var t: Double
    /// Switches halfway through a transition.
    public var activity: Activity
    /// The posture being held (switches halfway through a transition).
    public var posture: PostureKind
    /// `posture.isSlouch`.
    public var isSlouching: Bool
    /// True during the smooth transition into a segment: exclude from strict comparisons.
    public var inTransition: Bool
    /// Degrees vs standing neutral, per architecture.md (+ = anterior). Exactly
    /// `atan2(-u.x, u.z)` of earth-up `u` in the pelvis segment frame.
    public var pelvicTilt: Double
    /// Degrees, + = left side higher. Exactly `asin(u.y)`.
    public var pelvicObliquity: Double
    /// Degrees, + = flexion: lumbar minus pelvis sagittal inclination. Reported even when
    /// the scenario has one sensor (the engine must then report null).
    public var lumbarFlexion: Double
    /// Facing direction about earth up, degrees, + = to the left; unwrapped.
    public var heading: Double
    /// Steps walked since t = 0.
    public var steps: Int

    public var angles: SegmentAngles {
        SegmentAngles(pelvicTilt: pelvicTilt, pelvicObliquity: pelvicObliquity, lumbarFlexion: lumbarFlexion)
    }
}

/// A simulated wearer: turns a posture timeline into two-IMU samples.
///
/// Physics, per sensor: segment orientation (body → earth) from the timeline's angles,
/// times the mounting (nominal × misalignment); the sensor's position is the hip centre
/// plus lever arms rotating with the segments. Specific force = Rᵀ(a + g·up), with `a`
/// the sensor's acceleration (second difference of the lever arms plus the hip centre's
/// modelled acceleration); angular rate = the quaternion's central difference, in the
/// sensor frame. Then white noise and a slowly drifting gyroscope bias.
///
/// Everything is a pure function of `(timeline, seed, config, t)`: `sample(sensor:at:)`
/// is random-access and `makeSamples(rate:)` yields bit-identical values at its ticks.
public struct SimulatedWearer: Sendable {
    public let timeline: PostureTimeline
    public let seed: UInt64
    public let config: WearerConfig
    /// 1 (pelvis only) or 2. Only affects `makeSamples`.
    public let sensorCount: Int
    /// Actual mounting per sensor, sensor → segment: nominal mount × misalignment.
    public let mounting: [Quaternion]
    private let biases: [GyroBias]

    /// Finite-difference step for angular rate and lever-arm acceleration, s.
    static let step = 1e-3

    public init(timeline: PostureTimeline, seed: UInt64, config: WearerConfig = WearerConfig(), sensorCount: Int = 2) {
        self.timeline = timeline
        self.seed = seed
        self.config = config
        self.sensorCount = min(max(sensorCount, 1), SensorIndex.count)
        var mounting: [Quaternion] = []
        var biases: [GyroBias] = []
        for sensor in 0..<SensorIndex.count {
            var rng = SplitMix64(seed: seed, stream: 0x5E45_0000 &+ UInt64(sensor))
            let nominal = sensor < config.mounts.count ? config.mounts[sensor] : BodyModel.defaultMount
            let angle = rng.uniform(config.misalignmentDegrees).radians
            mounting.append((nominal * Quaternion(axis: rng.unitVector(), angle: angle)).normalized)
            biases.append(GyroBias(max: config.gyroBiasMax, drift: config.gyroBiasDrift, rng: &rng))
        }
        self.mounting = mounting
        self.biases = biases
    }

    public var duration: Double { timeline.duration }

    /// The measured sample of `sensor` (0 pelvis, 1 upper lumbar; other values are clamped)
    /// at time `t` (s). Deterministic and random-access.
    public func sample(sensor: Int, at t: Double) -> IMUSample {
        measure(clamp(sensor), kinematics(at: t), t: t)
    }

    /// Interleaved samples at `rate` Hz over `[start, end)` (default: the whole timeline):
    /// at each tick `t = i / rate`, sensor 0 then (with two sensors) sensor 1.
    public func makeSamples(rate: Double = 100, from start: Double = 0, to end: Double? = nil) -> WearerSamples {
        WearerSamples(wearer: self, rate: rate, start: start, end: end ?? duration)
    }

    /// Ground truth at `t`.
    public func truth(at t: Double) -> WearerTruth {
        let pose = timeline.pose(at: t)
        let blend = timeline.blend(at: t)
        let kind = timeline.segments.isEmpty ? .standTall : timeline.segments[blend.dominant].kind
        return WearerTruth(
            t: t, activity: kind.activity, posture: kind, isSlouching: kind.isSlouch,
            inTransition: blend.inTransition, pelvicTilt: pose.pelvicTilt, pelvicObliquity: pose.pelvicObliquity,
            lumbarFlexion: pose.lumbarFlexion, heading: pose.heading, steps: timeline.steps(at: t))
    }

    /// True orientation of `sensor` at `t`, sensor → earth (earth z up, heading 0 = the
    /// direction faced at t = 0).
    public func orientation(sensor: Int, at t: Double) -> Quaternion {
        let pose = timeline.pose(at: t)
        let s = clamp(sensor)
        return (s == 0 ? pose.pelvisOrientation : pose.lumbarOrientation) * mounting[s]
    }

    /// The gyroscope bias of `sensor` at `t`, rad/s, sensor frame (included in samples).
    public func gyroBias(sensor: Int, at t: Double) -> Vector3 { biases[clamp(sensor)].value(at: t) }

    // MARK: Physics

    /// Noise-free specific force (m/s²) and angular rate (rad/s) of both sensors.
    struct Kinematics {
        var accel0: Vector3
        var gyro0: Vector3
        var accel1: Vector3
        var gyro1: Vector3
    }

    func kinematics(at t: Double) -> Kinematics {
        let h = SimulatedWearer.step
        let before = timeline.pose(at: t - h), now = timeline.pose(at: t), after = timeline.pose(at: t + h)
        let pelvis = (before.pelvisOrientation, now.pelvisOrientation, after.pelvisOrientation)
        let lumbar = (before.lumbarOrientation, now.lumbarOrientation, after.lumbarOrientation)

        let headingRate = (after.heading - before.heading).radians / (2 * h)
        let hip = timeline.hipAcceleration(at: t, heading: now.heading, headingRate: headingRate)
        let gravity = Vector3(0, 0, config.gravity)

        // Lever arms from the hip centre, earth frame, at t - h, t, t + h.
        func arm0(_ p: Quaternion) -> Vector3 { p.rotate(BodyModel.pelvisSensorOffset) }
        func arm1(_ p: Quaternion, _ l: Quaternion) -> Vector3 {
            p.rotate(BodyModel.lumbosacralOffset) + l.rotate(BodyModel.lumbarSensorOffset)
        }
        let a0 = hip + (arm0(pelvis.2) - 2 * arm0(pelvis.1) + arm0(pelvis.0)) / (h * h)
        let a1 = hip + (arm1(pelvis.2, lumbar.2) - 2 * arm1(pelvis.1, lumbar.1) + arm1(pelvis.0, lumbar.0)) / (h * h)

        let m0 = mounting[0], m1 = mounting[1]
        return Kinematics(
            accel0: (pelvis.1 * m0).inverseRotate(a0 + gravity),
            gyro0: SimulatedWearer.rate(from: pelvis.0 * m0, to: pelvis.2 * m0, over: 2 * h),
            accel1: (lumbar.1 * m1).inverseRotate(a1 + gravity),
            gyro1: SimulatedWearer.rate(from: lumbar.0 * m1, to: lumbar.2 * m1, over: 2 * h))
    }

    /// Angular rate in the sensor frame turning `a` into `b` in `dt`: log(a* b) / dt.
    static func rate(from a: Quaternion, to b: Quaternion, over dt: Double) -> Vector3 {
        var d = a.conjugate * b
        if d.w < 0 { d = Quaternion(w: -d.w, x: -d.x, y: -d.y, z: -d.z) }
        let v = d.vector
        let n = v.norm
        guard n > 1e-15 else { return 2 * v / dt }
        return v * (2 * Double.atan2(n, d.w) / (n * dt))
    }

    func measure(_ sensor: Int, _ k: Kinematics, t: Double) -> IMUSample {
        var accel = sensor == 0 ? k.accel0 : k.accel1
        var gyro = (sensor == 0 ? k.gyro0 : k.gyro1) + biases[sensor].value(at: t)
        if config.accelNoise > 0 || config.gyroNoise > 0 {
            let noise = SampleNoise(seed: seed, sensor: sensor, t: t)
            accel += config.accelNoise * noise.accel
            gyro += config.gyroNoise * noise.gyro
        }
        return IMUSample(t: t, sensor: sensor, accel: accel, gyro: gyro)
    }

    private func clamp(_ sensor: Int) -> Int { min(max(sensor, 0), SensorIndex.count - 1) }
}

/// A constant gyroscope bias plus a slow drift: two sinusoids per axis, periods 10–60 min.
struct GyroBias: Sendable {
    let constant: Vector3
    let amplitudes: (Vector3, Vector3)
    let omegas: (Vector3, Vector3)
    let phases: (Vector3, Vector3)

    init(max: Double, drift: Double, rng: inout SplitMix64) {
        func vector(_ f: () -> Double) -> Vector3 { Vector3(f(), f(), f()) }
        constant = vector { rng.uniform(-1...1) * max }
        amplitudes = (vector { drift * rng.uniform(0.3...0.7) }, vector { drift * rng.uniform(0.3...0.7) })
        omegas = (vector { 2 * .pi / rng.uniform(600...3600) }, vector { 2 * .pi / rng.uniform(600...3600) })
        phases = (vector { rng.uniform(0...(2 * .pi)) }, vector { rng.uniform(0...(2 * .pi)) })
    }

    func value(at t: Double) -> Vector3 {
        func wave(_ a: Vector3, _ w: Vector3, _ p: Vector3) -> Vector3 {
            Vector3(a.x * Double.sin(w.x * t + p.x), a.y * Double.sin(w.y * t + p.y), a.z * Double.sin(w.z * t + p.z))
        }
        return constant + wave(amplitudes.0, omegas.0, phases.0) + wave(amplitudes.1, omegas.1, phases.1)
    }
}

/// The interleaved sample stream of `SimulatedWearer.makeSamples(rate:from:to:)`.
public struct WearerSamples: Sequence, IteratorProtocol, Sendable {
    private let wearer: SimulatedWearer
    private let rate: Double
    private let end: Double
    private var tick: Int
    private var pending: IMUSample?

    init(wearer: SimulatedWearer, rate: Double, start: Double, end: Double) {
        self.wearer = wearer
        let valid = rate > 0 && rate.isFinite && start.isFinite && end.isFinite && start < end
        self.rate = valid ? rate : 1
        self.end = valid ? end : -Double.infinity
        tick = valid ? Int((Swift.max(start, -1e12) * rate).rounded(.up)) : 0
    }

    /// Number of ticks (samples per sensor).
    public var tickCount: Int {
        guard end.isFinite else { return 0 }
        var n = Int((end * rate).rounded(.up)) - tick
        if Double(tick + n) / rate < end { n += 1 }
        while n > 0, Double(tick + n - 1) / rate >= end { n -= 1 }
        return Swift.max(0, n)
    }

    public var underestimatedCount: Int { tickCount * wearer.sensorCount }

    public mutating func next() -> IMUSample? {
        if let p = pending {
            pending = nil
            return p
        }
        let t = Double(tick) / rate
        guard t < end else { return nil }
        tick += 1
        let k = wearer.kinematics(at: t)
        if wearer.sensorCount > 1 { pending = wearer.measure(1, k, t: t) }
        return wearer.measure(0, k, t: t)
    }
}
