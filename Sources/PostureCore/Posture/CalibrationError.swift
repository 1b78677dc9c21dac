/// The two still poses of a calibration.
public enum CalibrationPose: String, Sendable, Codable, CaseIterable {
    /// Standing tall: the zero of every angle.
    case standing
    /// Sitting upright: the reference for slouch detection and sit/stand classification.
    case sitting
}

/// Which motion statistic exceeded its limit while a pose was being held.
public enum PoseMotionMeasure: String, Sendable, Codable {
    /// RMS of the angular rate about its window mean, rad/s.
    case gyroRMS = "gyro RMS"
    /// Standard deviation of the acceleration vector about its window mean, m/s².
    case accelStd = "accelerometer std"

    /// The unit the value is reported in.
    public var unit: String {
        switch self {
        case .gyroRMS: "rad/s"
        case .accelStd: "m/s²"
        }
    }
}

/// Why a calibration could not be made. Every case names the pose and the sensor,
/// so replay can turn it into a message naming the time window.
public enum CalibrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The window held no (usable) samples of a sensor that is required there:
    /// sensor 0 always, sensor 1 when it appears in the other pose's window.
    case noSamples(pose: CalibrationPose, sensor: Int)
    /// The wearer moved during the window: `measured` exceeded `allowed`.
    case moved(pose: CalibrationPose, sensor: Int, measure: PoseMotionMeasure, measured: Double, allowed: Double)
    /// The mean accelerometer reading was (nearly) zero or not finite, so there is
    /// no earth-up direction: a dead or saturated sensor rather than a wearer.
    case noGravity(pose: CalibrationPose, sensor: Int)

    /// The pose the error is about.
    public var pose: CalibrationPose {
        switch self {
        case .noSamples(let pose, _), .moved(let pose, _, _, _, _), .noGravity(let pose, _): pose
        }
    }

    /// The sensor the error is about.
    public var sensor: Int {
        switch self {
        case .noSamples(_, let sensor), .moved(_, let sensor, _, _, _), .noGravity(_, let sensor): sensor
        }
    }

    public var description: String {
        switch self {
        case .noSamples(let pose, let sensor):
            "\(pose.rawValue) pose: no samples of sensor \(sensor) in the window"
        case .moved(let pose, let sensor, let measure, let measured, let allowed):
            "\(pose.rawValue) pose: the wearer moved (sensor \(sensor) \(measure.rawValue) "
                + "\(rounded(measured)) \(measure.unit), at most \(rounded(allowed)) allowed)"
        case .noGravity(let pose, let sensor):
            "\(pose.rawValue) pose: sensor \(sensor) measured no gravity (mean acceleration ≈ 0)"
        }
    }
}

/// Three decimals without Foundation's formatting: enough for a message, not a report.
private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
