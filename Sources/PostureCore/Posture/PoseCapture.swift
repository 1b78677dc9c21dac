/// What one sensor measured while a pose was held still.
public struct SensorPose: Sendable, Equatable, Codable {
    /// Earth-up in the sensor frame: the normalised mean of the normalised accelerometer.
    public var up: Vector3
    /// Number of samples averaged.
    public var sampleCount: Int
    /// RMS of the angular rate about its mean over the still stretch, rad/s.
    public var gyroRMS: Double
    /// Standard deviation of the acceleration vector about its mean, m/s². It grows
    /// both with jerky motion and with a slow change of pose (gravity rotating in the
    /// sensor frame), which the gyro statistic alone would miss.
    public var accelStd: Double
    /// Mean accelerometer norm, m/s² (a sanity figure: ~9.81 on a healthy sensor).
    public var meanAccelNorm: Double

    public init(up: Vector3, sampleCount: Int, gyroRMS: Double, accelStd: Double, meanAccelNorm: Double) {
        self.up = up
        self.sampleCount = sampleCount
        self.gyroRMS = gyroRMS
        self.accelStd = accelStd
        self.meanAccelNorm = meanAccelNorm
    }
}

/// One captured still pose: per sensor, what it measured (`nil`: the sensor was absent).
public struct CapturedPose: Sendable, Equatable, Codable {
    public var pose: CalibrationPose
    /// The pelvis sensor (0): always present.
    public var pelvis: SensorPose
    /// The upper lumbar sensor (1), when it reported in the window.
    public var upperLumbar: SensorPose?
    /// The part of the window the pose comes from; `nil` for a pose not measured from
    /// samples (`Calibration.assumed`).
    public var stillStretch: StillStretch?

    public init(pose: CalibrationPose, pelvis: SensorPose, upperLumbar: SensorPose?, stillStretch: StillStretch? = nil) {
        self.pose = pose
        self.pelvis = pelvis
        self.upperLumbar = upperLumbar
        self.stillStretch = stillStretch
    }
}

/// Accumulates the samples of one calibration window and finds in it the stillest stretch
/// long enough to trust: real people shift their weight, breathe and sway, and a window
/// is refused only when no such stretch is still enough. Memory: one `MotionBlock` per
/// `blockSeconds` of window (running sums, never samples), so it grows with the window's
/// length and not with the sample rate.
public struct PoseCapture: Sendable {
    /// Motion limits of a still pose, and how long it must be held.
    public struct Limits: Sendable, Equatable {
        /// Breathing and balance sway stay well below 0.05 rad/s at the pelvis;
        /// 0.15 rad/s (≈ 9°/s) only trips on a real movement, e.g. shifting in the seat.
        public var maxGyroRMS: Double
        /// Sway and sensor noise give < 0.1 m/s²; 0.5 m/s² is a pose change of ~3°
        /// RMS (gravity rotating in the sensor frame) or a deliberate movement.
        public var maxAccelStd: Double
        /// The shortest stretch a pose is computed from. 3 s spans most of a breath (3–5 s
        /// at rest) and several cycles of balance sway (0.3–1 Hz), which rock the pelvis by
        /// a few tenths of a degree, so their mean is steady to ~0.1°; a 1 s stretch could
        /// land on one phase of a breath. Longer would be steadier still, but real wearers
        /// rarely hold a pose longer: on the HAPT recordings some of the 6–14 s windows hold
        /// just over 3 s without a shift of weight.
        public var minimumStillSeconds: Double

        public init(maxGyroRMS: Double = 0.15, maxAccelStd: Double = 0.5, minimumStillSeconds: Double = 3) {
            self.maxGyroRMS = maxGyroRMS
            self.maxAccelStd = maxAccelStd
            self.minimumStillSeconds = minimumStillSeconds
        }
    }

    /// The granularity of a stretch's start and end: short enough that a movement costs
    /// little of the still time around it, long enough (12–25 samples at 50–100 Hz) to
    /// keep a ten-minute window at 2400 blocks.
    public static let blockSeconds = 0.25

    public let pose: CalibrationPose
    public let limits: Limits
    private var blocks: [MotionBlock] = []
    private var origin: Double?

    public init(pose: CalibrationPose, limits: Limits = .init()) {
        self.pose = pose
        self.limits = limits
    }

    /// Adds a sample of the window. Samples of unknown sensors and non-finite or
    /// zero accelerations (dropouts) are ignored rather than poisoning the means.
    public mutating func add(_ sample: IMUSample) {
        guard (0..<SensorIndex.count).contains(sample.sensor), sample.t.isFinite, sample.accel.isFinite,
            sample.gyro.isFinite, let direction = sample.accel.normalized
        else { return }
        let origin = self.origin ?? sample.t
        self.origin = origin
        // Capped so that a wild time cannot overflow `Int`; such a sample lands in a far slot.
        let slot = Int(min(max(0, (sample.t - origin) / Self.blockSeconds), Double(Int32.max)))
        if let last = blocks.last, slot <= last.slot {
            // Same slot, or a sensor's sample a little behind the other's: the current block.
            blocks[blocks.count - 1].lastT = max(last.lastT, sample.t)
        } else {
            blocks.append(MotionBlock(slot: slot, t: sample.t))
        }
        blocks[blocks.count - 1][sample.sensor].add(accel: sample.accel, direction: direction, gyro: sample.gyro)
    }

    /// Number of usable samples so far from `sensor`.
    public func sampleCount(sensor: Int) -> Int {
        guard (0..<SensorIndex.count).contains(sensor) else { return 0 }
        return blocks.reduce(0) { $0 + $1[sensor].count }
    }

    /// Seconds from the window's first usable sample to its last.
    public var windowSeconds: Double {
        guard let first = blocks.first, let last = blocks.last else { return 0 }
        return last.lastT - first.firstT
    }

    /// The error of a window that cannot hold a still stretch, before any sample is read
    /// (replay knows its windows' lengths); `nil` when it is long enough.
    public func lengthError(windowSeconds seconds: Double) -> CalibrationError? {
        // A microsecond of slack: a window of exactly the minimum, sampled at its ends, counts.
        seconds + 1e-6 < limits.minimumStillSeconds
            ? .windowTooShort(pose: pose, seconds: seconds, required: limits.minimumStillSeconds) : nil
    }

    /// The captured pose from the stillest stretch, or why there is none: no pelvis
    /// samples, a window shorter than the minimum stretch, no stretch still enough, or a
    /// sensor with no gravity. Sensor 1 is simply absent without samples; `Calibration`
    /// checks it is present in both poses or in neither.
    public func result() -> Result<CapturedPose, CalibrationError> {
        guard sampleCount(sensor: SensorIndex.pelvis) > 0, let first = blocks.first, let last = blocks.last else {
            return .failure(.noSamples(pose: pose, sensor: SensorIndex.pelvis))
        }
        if let error = lengthError(windowSeconds: windowSeconds) { return .failure(error) }
        let sensors = (0..<SensorIndex.count).filter { sampleCount(sensor: $0) > 0 }
        let (windowStart, windowEnd) = (first.firstT, last.lastT)
        switch StillStretchSearch(blocks: blocks, limits: limits, sensors: sensors).run() {
        case .sensorMissing(let sensor):
            return .failure(.noSamples(pose: pose, sensor: sensor))
        case .moved(let stillest, let motion):
            let stretch = StillStretch(
                start: stillest.firstT, end: stillest.lastT, windowStart: windowStart, windowEnd: windowEnd,
                motion: motion)
            return .failure(.moved(pose: pose, stillest: stretch, required: limits.minimumStillSeconds))
        case .still(let merged, let motion):
            let stretch = StillStretch(
                start: merged.firstT, end: merged.lastT, windowStart: windowStart, windowEnd: windowEnd, motion: motion)
            guard let pelvis = sensorPose(merged.pelvis) else {
                return .failure(.noGravity(pose: pose, sensor: SensorIndex.pelvis))
            }
            var upper: SensorPose?
            if merged.upperLumbar.count > 0 {
                guard let found = sensorPose(merged.upperLumbar) else {
                    return .failure(.noGravity(pose: pose, sensor: SensorIndex.upperLumbar))
                }
                upper = found
            }
            return .success(CapturedPose(pose: pose, pelvis: pelvis, upperLumbar: upper, stillStretch: stretch))
        }
    }

    /// `nil` when the mean direction vanishes: no gravity to find up from.
    private func sensorPose(_ sums: MotionSums) -> SensorPose? {
        let n = Double(sums.count)
        guard let up = (sums.direction / n).normalized else { return nil }
        return SensorPose(
            up: up, sampleCount: sums.count, gyroRMS: sums.gyroRMS, accelStd: sums.accelStd,
            meanAccelNorm: sums.norm / n)
    }
}
