public import PostureCore

/// Sensor imperfections of the simulated wearer. The default is a realistic MPU-6050 pair:
/// each sensor drawn uniformly within the datasheet tolerances (`SensorErrorModel.mpu6050`),
/// set up as the drivers' defaults (±4 g, ±500 °/s, 20 Hz low-pass, 100 Hz), warming up
/// on the body from room temperature; plus a few degrees of mounting misalignment.
public struct WearerConfig: Sendable, Equatable {
    /// The chip and how its errors are drawn (one sensor per position, from the seed);
    /// nil for perfect sensors (no offsets, scale errors, noise or quantisation).
    public var sensor: SensorSetup? = SensorSetup(family: .mpu6050, draw: .typical)
    /// Mounting misalignment per sensor: a rotation by an angle in this range (degrees)
    /// about a random axis, on top of the nominal mount.
    public var misalignmentDegrees: ClosedRange<Double> = 3...6
    /// Nominal mounting per sensor (pelvis, upper lumbar), sensor frame → segment frame.
    public var mounts: [Quaternion] = [BodyModel.defaultMount, BodyModel.defaultMount]
    /// Gravity, m/s².
    public var gravity = standardGravity

    public init() {}

    /// Sensors of `family` with errors drawn as `draw` (e.g. `.limit`: every error at ± its
    /// datasheet tolerance), otherwise the defaults.
    public static func sensorErrors(family: SensorFamily, draw: SensorErrorDraw) -> WearerConfig {
        var c = WearerConfig()
        c.sensor = SensorSetup(family: family, draw: draw)
        return c
    }

    /// Perfect sensors and no misalignment: the exact kinematics.
    public static var ideal: WearerConfig {
        var c = WearerConfig()
        c.sensor = nil
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
/// sensor frame. Then each sensor's datasheet errors (`SensorErrors`): scale and cross-axis
/// errors, offsets that follow the warm-up temperature, white noise, quantisation.
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
    /// The drawn sensor per position (pelvis, upper lumbar); empty with perfect sensors.
    public let sensorErrors: [SensorErrors]

    /// Finite-difference step for angular rate and lever-arm acceleration, s.
    static let step = 1e-3

    public init(timeline: PostureTimeline, seed: UInt64, config: WearerConfig = WearerConfig(), sensorCount: Int = 2) {
        self.timeline = timeline
        self.seed = seed
        self.config = config
        self.sensorCount = min(max(sensorCount, 1), SensorIndex.count)
        var mounting: [Quaternion] = []
        var errors: [SensorErrors] = []
        for sensor in 0..<SensorIndex.count {
            var rng = SplitMix64(seed: seed, stream: 0x5E45_0000 &+ UInt64(sensor))
            let nominal = sensor < config.mounts.count ? config.mounts[sensor] : BodyModel.defaultMount
            let angle = rng.uniform(config.misalignmentDegrees).radians
            mounting.append((nominal * Quaternion(axis: rng.unitVector(), angle: angle)).normalized)
            // A stream of its own, so the mounting and other draws do not shift with the model.
            var chipRng = SplitMix64(seed: seed, stream: 0x5E45_C000 &+ UInt64(sensor))
            if let setup = config.sensor { errors.append(SensorErrors(setup: setup, rng: &chipRng)) }
        }
        self.mounting = mounting
        sensorErrors = errors
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

    /// The gyroscope zero-rate offset of `sensor` at `t`, rad/s, sensor frame (included in
    /// samples; zero with perfect sensors).
    public func gyroBias(sensor: Int, at t: Double) -> Vector3 {
        sensorErrors.isEmpty ? .zero : sensorErrors[clamp(sensor)].gyroOffset(at: t)
    }

    /// The temperature of `sensor` at `t`, °C (25 °C, the datasheets' reference, with perfect sensors).
    public func temperature(sensor: Int, at t: Double) -> Double {
        sensorErrors.isEmpty ? SensorErrors.referenceTemperature : sensorErrors[clamp(sensor)].temperature.temperature(at: t)
    }

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
        let accel = sensor == 0 ? k.accel0 : k.accel1
        let gyro = sensor == 0 ? k.gyro0 : k.gyro1
        guard sensor < sensorErrors.count else { return IMUSample(t: t, sensor: sensor, accel: accel, gyro: gyro) }
        let noise = SampleNoise(seed: seed, sensor: sensor, t: t)
        let measured = sensorErrors[sensor].measure(
            accel: accel, gyro: gyro, t: t, accelNoise: noise.accel, gyroNoise: noise.gyro)
        return IMUSample(t: t, sensor: sensor, accel: measured.accel, gyro: measured.gyro)
    }

    private func clamp(_ sensor: Int) -> Int { min(max(sensor, 0), SensorIndex.count - 1) }
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
