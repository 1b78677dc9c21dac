/// What one sensor measured while a pose was held still.
public struct SensorPose: Sendable, Equatable, Codable {
    /// Earth-up in the sensor frame: the normalised mean of the normalised accelerometer.
    public var up: Vector3
    /// Number of samples averaged.
    public var sampleCount: Int
    /// RMS of the angular rate about its window mean, rad/s. The mean is removed
    /// because it is mostly gyro bias, which says nothing about the wearer moving.
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

    public init(pose: CalibrationPose, pelvis: SensorPose, upperLumbar: SensorPose?) {
        self.pose = pose
        self.pelvis = pelvis
        self.upperLumbar = upperLumbar
    }
}

/// Accumulates the samples of one calibration window and decides whether the wearer
/// held still. O(1) memory: running sums only, so a long window costs nothing.
public struct PoseCapture: Sendable {
    /// Motion limits of a still pose.
    public struct Limits: Sendable, Equatable {
        /// Breathing and balance sway stay well below 0.05 rad/s at the pelvis;
        /// 0.15 rad/s (≈ 9°/s) only trips on a real movement, e.g. shifting in the seat.
        public var maxGyroRMS: Double
        /// Sway and sensor noise give < 0.1 m/s²; 0.5 m/s² is a pose change of ~3°
        /// RMS (gravity rotating in the sensor frame) or a deliberate movement.
        public var maxAccelStd: Double

        public init(maxGyroRMS: Double = 0.15, maxAccelStd: Double = 0.5) {
            self.maxGyroRMS = maxGyroRMS
            self.maxAccelStd = maxAccelStd
        }
    }

    public let pose: CalibrationPose
    public let limits: Limits
    private var sums: [SensorSums]

    public init(pose: CalibrationPose, limits: Limits = .init()) {
        self.pose = pose
        self.limits = limits
        sums = Array(repeating: SensorSums(), count: SensorIndex.count)
    }

    /// Adds a sample of the window. Samples of unknown sensors and non-finite or
    /// zero accelerations (dropouts) are ignored rather than poisoning the means.
    public mutating func add(_ sample: IMUSample) {
        guard sums.indices.contains(sample.sensor), sample.accel.isFinite, sample.gyro.isFinite,
            let direction = sample.accel.normalized
        else { return }
        sums[sample.sensor].add(accel: sample.accel, direction: direction, gyro: sample.gyro)
    }

    /// Number of usable samples so far from `sensor`.
    public func sampleCount(sensor: Int) -> Int { sums.indices.contains(sensor) ? sums[sensor].count : 0 }

    /// The captured pose, or why it is unusable: no pelvis samples, a sensor with no
    /// gravity, or motion above the limits. Sensor 1 is simply absent without samples;
    /// `Calibration` checks it is present in both poses or in neither.
    public func result() -> Result<CapturedPose, CalibrationError> {
        let pelvis: SensorPose
        switch sensorPose(SensorIndex.pelvis) {
        case nil: return .failure(.noSamples(pose: pose, sensor: SensorIndex.pelvis))
        case .failure(let error)?: return .failure(error)
        case .success(let p)?: pelvis = p
        }
        var upper: SensorPose?
        switch sensorPose(SensorIndex.upperLumbar) {
        case nil: upper = nil
        case .failure(let error)?: return .failure(error)
        case .success(let p)?: upper = p
        }
        return .success(CapturedPose(pose: pose, pelvis: pelvis, upperLumbar: upper))
    }

    /// `nil` when the sensor has no samples.
    private func sensorPose(_ sensor: Int) -> Result<SensorPose, CalibrationError>? {
        let s = sums[sensor]
        guard s.count > 0 else { return nil }
        let n = Double(s.count)
        guard let up = (s.direction / n).normalized else { return .failure(.noGravity(pose: pose, sensor: sensor)) }
        let gyroMean = s.gyro / n
        let gyroRMS = max(0, s.gyroSquared / n - gyroMean.squaredNorm).squareRoot()
        let accelMean = s.accel / n
        let accelStd = max(0, s.accelSquared / n - accelMean.squaredNorm).squareRoot()
        if gyroRMS > limits.maxGyroRMS {
            return .failure(
                .moved(pose: pose, sensor: sensor, measure: .gyroRMS, measured: gyroRMS, allowed: limits.maxGyroRMS))
        }
        if accelStd > limits.maxAccelStd {
            return .failure(
                .moved(pose: pose, sensor: sensor, measure: .accelStd, measured: accelStd, allowed: limits.maxAccelStd))
        }
        return .success(
            SensorPose(up: up, sampleCount: s.count, gyroRMS: gyroRMS, accelStd: accelStd, meanAccelNorm: s.norm / n))
    }
}

/// Running sums of one sensor's window. Variances come from E[x²] − E[x]²: with
/// values of order 10 and windows of minutes, cancellation stays far below the limits.
private struct SensorSums: Sendable {
    var count = 0
    var direction = Vector3.zero
    var accel = Vector3.zero
    var accelSquared = 0.0
    var norm = 0.0
    var gyro = Vector3.zero
    var gyroSquared = 0.0

    mutating func add(accel a: Vector3, direction d: Vector3, gyro g: Vector3) {
        count += 1
        direction += d
        accel += a
        accelSquared += a.squaredNorm
        norm += a.norm
        gyro += g
        gyroSquared += g.squaredNorm
    }
}
