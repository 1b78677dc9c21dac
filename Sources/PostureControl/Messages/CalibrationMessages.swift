public import PostureCore

/// Where a guided calibration is. The daemon sends one whenever the state changes and
/// about every 100 ms while capturing, so the client can draw a smooth bar.
public struct CalibrationProgress: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// The wearer is being told what to do ("Stand tall and still").
        case prompt
        /// Counting down to the capture; `remaining_s` is the countdown.
        case countdown
        /// Capturing the pose; `progress` runs from 0 to 1.
        case capturing
        /// This pose was captured; `stillness` says how still and for how long.
        case done
        /// This pose failed (the wearer moved, no samples, the two poses cannot make a
        /// calibration); `message` says why and what to do, `stillness` describes the
        /// stillest stretch when the wearer moved. The final reply is then an error; no
        /// calibration is applied, and after a failed standing pose sitting is not asked for.
        case failed
    }

    /// Which pose: standing tall first, then sitting upright.
    public var phase: CalibrationPose
    public var state: State
    /// Seconds left in the current state (countdown or capture); 0 when not timed.
    public var remainingSeconds: Double
    /// Fraction of the capture done, 0…1 (0 before capturing, 1 when done).
    public var progress: Double
    /// What to tell the wearer, e.g. "Stand tall and still".
    public var message: String
    /// With `done` (and `failed` when the wearer moved): the still stretch the pose came
    /// from, or the stillest one found. Absent from older daemons and other states.
    public var stillness: PoseStillness?

    public init(
        phase: CalibrationPose, state: State, remainingSeconds: Double, progress: Double, message: String,
        stillness: PoseStillness? = nil
    ) {
        self.phase = phase
        self.state = state
        self.remainingSeconds = remainingSeconds.isFinite ? max(0, remainingSeconds) : 0
        self.progress = progress.isFinite ? min(max(progress, 0), 1) : 0
        self.message = message
        self.stillness = stillness
    }

    enum CodingKeys: String, CodingKey {
        case phase, state, progress, message, stillness
        case remainingSeconds = "remaining_s"
    }
}

/// How still a pose was held: the stretch of the capture it was computed from (or, for a
/// pose that failed, the stillest stretch), and its worst motion statistic against the limit.
public struct PoseStillness: Sendable, Equatable, Codable {
    /// Length of the still stretch, seconds.
    public var stillSeconds: Double
    /// Length of the whole capture, seconds.
    public var windowSeconds: Double
    /// Where the stretch began, seconds after the capture's start.
    public var fromSeconds: Double
    /// `sensor`, `measure` ("gyro RMS" or "accelerometer std"), `measured`, `allowed`.
    public var motion: MotionReading

    public init(stillSeconds: Double, windowSeconds: Double, fromSeconds: Double, motion: MotionReading) {
        self.stillSeconds = stillSeconds
        self.windowSeconds = windowSeconds
        self.fromSeconds = fromSeconds
        self.motion = motion
    }

    public init(_ stretch: StillStretch) {
        self.init(
            stillSeconds: stretch.duration, windowSeconds: stretch.windowDuration, fromSeconds: stretch.offset,
            motion: stretch.motion)
    }

    enum CodingKeys: String, CodingKey {
        case motion
        case stillSeconds = "still_s"
        case windowSeconds = "window_s"
        case fromSeconds = "from_s"
    }
}

/// The final reply of a successful `calibrate`: the sitting-upright reference the slouch
/// rules will use, and how each sensor's axes were found.
public struct CalibrationReport: Sendable, Equatable, Codable {
    /// Angles of the sitting-upright pose relative to standing tall, degrees.
    public var sitting: AngleReading
    public var sensors: [SensorCalibrationSummary]
    /// Where the daemon saved the calibration; `nil` if it is kept in memory only.
    public var savedTo: String?
    /// Setup mistakes the figures suggest (a reversed `mount`); absent when there are none.
    public var warnings: [String]?

    public init(sitting: AngleReading, sensors: [SensorCalibrationSummary], savedTo: String?, warnings: [String]? = nil) {
        self.sitting = sitting
        self.sensors = sensors
        self.savedTo = savedTo
        self.warnings = warnings
    }

    /// The report of a `Calibration` made by PostureCore.
    public init(_ calibration: Calibration, savedTo: String?) {
        sitting = AngleReading(
            pelvicTilt: calibration.sittingPelvicTilt, pelvicObliquity: calibration.sittingPelvicObliquity,
            lumbarFlexion: calibration.sittingLumbarFlexion)
        var sensors = [SensorCalibrationSummary(index: SensorIndex.pelvis, calibration.pelvis)]
        if let upper = calibration.upperLumbar {
            sensors.append(SensorCalibrationSummary(index: SensorIndex.upperLumbar, upper))
        }
        self.sensors = sensors
        self.savedTo = savedTo
        let warnings = calibration.warnings.map(String.init(describing:))
        self.warnings = warnings.isEmpty ? nil : warnings
    }

    enum CodingKeys: String, CodingKey {
        case sitting, sensors, warnings
        case savedTo = "saved_to"
    }
}

/// One sensor's calibration, in figures a wearer or an installer can judge.
public struct SensorCalibrationSummary: Sendable, Equatable, Codable {
    public var index: Int
    /// `measured` from the two poses, or `prior` (the configured mounting) when they were too similar.
    public var lateralAxis: LateralAxisSource
    /// Angle between the standing and sitting poses, degrees.
    public var standToSitDegrees: Double
    /// How far calibration turned the configured mounting, degrees (near 180°: wrong `mount`).
    public var correctionFromPriorDegrees: Double

    public init(index: Int, lateralAxis: LateralAxisSource, standToSitDegrees: Double, correctionFromPriorDegrees: Double) {
        self.index = index
        self.lateralAxis = lateralAxis
        self.standToSitDegrees = standToSitDegrees.isFinite ? standToSitDegrees : 0
        self.correctionFromPriorDegrees = correctionFromPriorDegrees.isFinite ? correctionFromPriorDegrees : 0
    }

    public init(index: Int, _ sensor: SensorCalibration) {
        self.init(index: index, lateralAxis: sensor.lateralAxis, standToSitDegrees: sensor.standToSitDegrees,
                  correctionFromPriorDegrees: sensor.correctionFromPriorDegrees)
    }

    enum CodingKeys: String, CodingKey {
        case index
        case lateralAxis = "lateral_axis"
        case standToSitDegrees = "stand_to_sit_deg"
        case correctionFromPriorDegrees = "correction_from_prior_deg"
    }
}
