/// The two still poses of a calibration.
public enum CalibrationPose: String, Sendable, Codable, CaseIterable {
    /// Standing tall: the zero of every angle.
    case standing
    /// Sitting upright: the reference for slouch detection and sit/stand classification.
    case sitting
}

/// Which motion statistic exceeded its limit while a pose was being held.
public enum PoseMotionMeasure: String, Sendable, Codable {
    /// RMS of the angular rate about its mean, rad/s.
    case gyroRMS = "gyro RMS"
    /// Standard deviation of the acceleration vector about its mean, m/s².
    case accelStd = "accelerometer std"

    /// The unit the value is reported in.
    public var unit: String {
        switch self {
        case .gyroRMS: "rad/s"
        case .accelStd: "m/s²"
        }
    }
}

/// Why a calibration could not be made. Every case names the pose it is about (the one to
/// take again), so replay can turn it into a message naming the time window, and says
/// what to do.
public enum CalibrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The window held no (usable) samples of a sensor that is required there:
    /// sensor 0 always, sensor 1 when it appears in the other pose's window.
    case noSamples(pose: CalibrationPose, sensor: Int)
    /// The window is shorter than the still stretch a pose is computed from.
    case windowTooShort(pose: CalibrationPose, seconds: Double, required: Double)
    /// No stretch of `required` seconds in the window was still enough; `stillest` is the
    /// stillest one and its motion against the limit.
    case moved(pose: CalibrationPose, stillest: StillStretch, required: Double)
    /// The mean accelerometer reading was (nearly) zero or not finite, so there is
    /// no earth-up direction: a dead or saturated sensor rather than a wearer.
    case noGravity(pose: CalibrationPose, sensor: Int)
    /// The pelvis turned less than `required` degrees between the poses: the body's left
    /// axis cannot be found, and upright sitting would be mistaken for standing.
    case posesTooClose(degrees: Double, required: Double)
    /// Against the declared mounting, the pelvis tilted forward on sitting, by `degrees`;
    /// upright sitting tilts it back.
    case sittingNotPosterior(sensor: Int, degrees: Double)

    /// The pose the error is about: for the two-pose checks, sitting (the one to retake).
    public var pose: CalibrationPose {
        switch self {
        case .noSamples(let pose, _), .windowTooShort(let pose, _, _), .moved(let pose, _, _), .noGravity(let pose, _):
            pose
        case .posesTooClose, .sittingNotPosterior: .sitting
        }
    }

    /// The sensor the error is about.
    public var sensor: Int {
        switch self {
        case .noSamples(_, let sensor), .noGravity(_, let sensor), .sittingNotPosterior(let sensor, _): sensor
        case .moved(_, let stillest, _): stillest.motion.sensor
        case .windowTooShort, .posesTooClose: SensorIndex.pelvis
        }
    }

    public var description: String {
        switch self {
        case .noSamples(let pose, let sensor):
            "\(pose.rawValue) pose: no samples of sensor \(sensor) in the window"
        case .windowTooShort(let pose, let seconds, let required):
            "\(pose.rawValue) pose: the window is \(thousandths(seconds)) s long, shorter than the "
                + "\(thousandths(required)) s of holding still a pose is computed from; hold the pose for at least "
                + "\(thousandths(required)) s"
        case .moved(let pose, let stillest, let required):
            "\(pose.rawValue) pose: the wearer moved: no \(thousandths(required)) s of the \(tenths(stillest.windowDuration)) s "
                + "window were still enough (the stillest, from \(tenths(stillest.offset)) s in: "
                + "sensor \(stillest.motion.sensor) \(stillest.motion.measure.rawValue) \(thousandths(stillest.motion.measured)) "
                + "\(stillest.motion.measure.unit), at most \(thousandths(stillest.motion.allowed)) allowed); "
                + "hold still for \(thousandths(required)) s"
        case .noGravity(let pose, let sensor):
            "\(pose.rawValue) pose: sensor \(sensor) measured no gravity (mean acceleration ≈ 0)"
        case .posesTooClose(let degrees, let required):
            "the two poses are only \(tenths(degrees))° apart (at least \(thousandths(required))° are needed to find "
                + "the body's axes): sit back into your usual upright sitting posture, and make sure you sat down "
                + "between the standing and the sitting pose"
        case .sittingNotPosterior(let sensor, let degrees):
            "sitting pose: sensor \(sensor) tilted \(tenths(degrees))° forward of standing, but upright sitting "
                + "tilts the pelvis back (judged by its configured mount): sit back into your usual upright "
                + "sitting posture; if you did, the sensor is not mounted as its `mount` says (turned about the spine, or upside down)"
        }
    }
}
