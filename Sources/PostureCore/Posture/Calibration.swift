/// Where a calibrated sensor's lateral (left, body y) axis came from.
public enum LateralAxisSource: String, Sendable, Codable {
    /// The rotation axis between the standing and sitting poses (the usual case).
    case measured
    /// The configured mounting, projected onto the measured up: the two poses were
    /// too similar for that sensor to give a trustworthy axis.
    case prior
}

/// The calibration of one sensor.
public struct SensorCalibration: Sendable, Equatable, Codable {
    /// Sensor-to-body rotation: body z is earth-up measured while standing tall.
    public var mounting: SensorMounting
    public var lateralAxis: LateralAxisSource
    /// Angle between earth-up measured standing and sitting, degrees.
    public var standToSitDegrees: Double
    /// How far calibration rotated the configured mounting, degrees. Tens of degrees
    /// are normal on the sacrum (it is inclined); near 180° suggests a wrong `mount`.
    public var correctionFromPriorDegrees: Double

    public init(mounting: SensorMounting, lateralAxis: LateralAxisSource, standToSitDegrees: Double,
                correctionFromPriorDegrees: Double) {
        self.mounting = mounting
        self.lateralAxis = lateralAxis
        self.standToSitDegrees = standToSitDegrees
        self.correctionFromPriorDegrees = correctionFromPriorDegrees
    }
}

/// The standing-tall and sitting-upright calibration: per sensor the mounting that
/// makes standing tall the zero of every angle, plus the sitting-upright reference.
/// Codable so the daemon can store it; `version` guards the stored layout.
public struct Calibration: Sendable, Equatable, Codable {
    public struct Parameters: Sendable, Equatable {
        /// Below this stand-to-sit rotation, the axis of the rotation (the body's left
        /// axis) is dominated by noise and sway: with ~0.3° of pose scatter, 5° keeps the
        /// axis within a few degrees. Then the configured mounting is used instead.
        public var minimumPoseSeparationDegrees: Double
        /// The upper lumbar sensor may turn little, or partly sideways, between the two
        /// poses; a measured axis further than this from the configured left axis is
        /// taken to be such a sideways lean, and the configured mounting is used instead.
        public var maximumUpperLumbarAxisCorrectionDegrees: Double

        public init(minimumPoseSeparationDegrees: Double = 5, maximumUpperLumbarAxisCorrectionDegrees: Double = 45) {
            self.minimumPoseSeparationDegrees = minimumPoseSeparationDegrees
            self.maximumUpperLumbarAxisCorrectionDegrees = maximumUpperLumbarAxisCorrectionDegrees
        }
    }

    /// The layout version written by this code.
    public static let currentVersion = 1

    public var version: Int
    public var pelvis: SensorCalibration
    /// `nil` when the calibration was made without sensor 1.
    public var upperLumbar: SensorCalibration?
    /// Angles measured in the sitting-upright pose, degrees (standing tall is 0).
    public var sittingPelvicTilt: Double
    public var sittingPelvicObliquity: Double
    public var sittingLumbarFlexion: Double?

    /// The sitting-upright pose: the reference for slouch detection (`NudgePolicy`)
    /// and for telling sitting from standing (`ActivityClassifier`).
    public var sittingReference: SittingReference {
        SittingReference(pelvicTilt: sittingPelvicTilt, lumbarFlexion: sittingLumbarFlexion)
    }

    /// Builds the calibration from the two captured poses.
    ///
    /// Per sensor: body z = earth-up measured standing. Sitting upright differs from
    /// standing mainly by a posterior pelvic tilt, a rotation about the body's left
    /// axis, so body y = (up standing) × (up sitting), which points left exactly when
    /// sitting is the posterior (negative) tilt. This is what removes a yaw of the
    /// sticker about the spine, which standing alone cannot see and which would leak
    /// sagittal motion into obliquity (sin 4° ≈ 7% for a 4° yaw). Body x = y × z.
    ///
    /// - Pelvis: the measured axis is trusted (the pelvis always tilts back on sitting)
    ///   unless the poses are closer than `minimumPoseSeparationDegrees`; then the
    ///   configured mounting, projected onto the measured up, gives y.
    /// - Upper lumbar: its stand-to-sit turn is smaller and may go either way (lumbar
    ///   flexion can exceed the pelvic tilt), so the measured axis takes its sign from
    ///   the configured mounting, and is used only when the turn is large enough and
    ///   the axis within `maximumUpperLumbarAxisCorrectionDegrees` of the configured one.
    ///   Sensor 0's correction is not transferred: each sticker has its own yaw, and
    ///   without heading the two sensors' yaws cannot be related.
    ///
    /// - Parameters:
    ///   - pelvisMount, upperLumbarMount: the configured mountings (`SensorMounting(remap:)`).
    /// - Throws: `CalibrationError.noSamples(pose:sensor: 1)` when sensor 1 appears in
    ///   only one of the two poses (naming the pose it is missing from).
    public init(
        standing: CapturedPose, sitting: CapturedPose,
        pelvisMount: SensorMounting = .standard, upperLumbarMount: SensorMounting = .standard,
        parameters: Parameters = .init()
    ) throws(CalibrationError) {
        pelvis = Self.calibrate(
            standing: standing.pelvis.up, sitting: sitting.pelvis.up, prior: pelvisMount,
            orientByPrior: false, maxCorrectionDegrees: nil, parameters: parameters)
        switch (standing.upperLumbar, sitting.upperLumbar) {
        case (nil, nil):
            upperLumbar = nil
        case (let stand?, let sit?):
            upperLumbar = Self.calibrate(
                standing: stand.up, sitting: sit.up, prior: upperLumbarMount, orientByPrior: true,
                maxCorrectionDegrees: parameters.maximumUpperLumbarAxisCorrectionDegrees, parameters: parameters)
        case (nil, _?):
            throw .noSamples(pose: .standing, sensor: SensorIndex.upperLumbar)
        case (_?, nil):
            throw .noSamples(pose: .sitting, sensor: SensorIndex.upperLumbar)
        }
        version = Self.currentVersion
        sittingPelvicTilt = 0
        sittingPelvicObliquity = 0
        sittingLumbarFlexion = nil
        let sittingAngles = SegmentAngleEstimator(calibration: self)
            .angles(pelvisUp: sitting.pelvis.up, upperLumbarUp: sitting.upperLumbar?.up)
        sittingPelvicTilt = sittingAngles.pelvicTilt
        sittingPelvicObliquity = sittingAngles.pelvicObliquity
        sittingLumbarFlexion = sittingAngles.lumbarFlexion
    }

    private static func calibrate(
        standing up: Vector3, sitting upSitting: Vector3, prior: SensorMounting, orientByPrior: Bool,
        maxCorrectionDegrees: Double?, parameters: Parameters
    ) -> SensorCalibration {
        let separation = up.angle(to: upSitting).degrees
        let fallback = projected(prior, onto: up)
        var mounting = fallback
        var source = LateralAxisSource.prior
        if separation >= parameters.minimumPoseSeparationDegrees,
            var axis = up.cross(upSitting).normalized
        {
            if orientByPrior && axis.dot(fallback.bodyY) < 0 { axis = -axis }
            if let measured = SensorMounting(up: up, approximateLeft: axis),
                maxCorrectionDegrees.map({ measured.bodyY.angle(to: fallback.bodyY).degrees <= $0 }) ?? true
            {
                mounting = measured
                source = .measured
            }
        }
        return SensorCalibration(
            mounting: mounting, lateralAxis: source, standToSitDegrees: separation,
            correctionFromPriorDegrees: mounting.degrees(from: prior))
    }

    /// The configured mounting with its z replaced by the measured up. Its y is kept as
    /// far as possible; if y is (nearly) along up, the configuration is badly wrong and
    /// its x (anterior) gives the heading instead.
    private static func projected(_ prior: SensorMounting, onto up: Vector3) -> SensorMounting {
        SensorMounting(up: up, approximateLeft: prior.bodyY)
            ?? SensorMounting(up: up, approximateLeft: up.cross(prior.bodyX))
            ?? prior
    }
}
