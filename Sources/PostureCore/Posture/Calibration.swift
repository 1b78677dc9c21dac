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
    /// Whether the mounting started from was configured; `nil` in calibrations stored
    /// before this was recorded. With `.undeclared`, a `.measured` lateral axis was the
    /// only judge of which way the wearer's left is.
    public var mountingKnowledge: MountingKnowledge?
    /// Angle between the measured up and the prior's, degrees (`nil`: stored before it was recorded).
    public var upFromPriorDegrees: Double?

    public init(mounting: SensorMounting, lateralAxis: LateralAxisSource, standToSitDegrees: Double,
                correctionFromPriorDegrees: Double, mountingKnowledge: MountingKnowledge? = nil,
                upFromPriorDegrees: Double? = nil) {
        self.mounting = mounting
        self.lateralAxis = lateralAxis
        self.standToSitDegrees = standToSitDegrees
        self.correctionFromPriorDegrees = correctionFromPriorDegrees
        self.mountingKnowledge = mountingKnowledge
        self.upFromPriorDegrees = upFromPriorDegrees
    }

    /// The warning for sensor `index`, if its declared mounting looks reversed.
    func warning(sensor index: Int) -> CalibrationWarning? {
        guard mountingKnowledge == .declared, correctionFromPriorDegrees > CalibrationWarning.reversedAboveDegrees
        else { return nil }
        return .mountingReversed(
            sensor: index, correctionDegrees: correctionFromPriorDegrees, upDegrees: upFromPriorDegrees ?? 0)
    }
}

/// The standing-tall and sitting-upright calibration: per sensor the mounting that
/// makes standing tall the zero of every angle, plus the sitting-upright reference.
/// Codable so the daemon can store it; `version` guards the stored layout.
public struct Calibration: Sendable, Equatable, Codable {
    public struct Parameters: Sendable, Equatable {
        /// Below this stand-to-sit rotation of the pelvis a calibration is refused. The
        /// rotation's axis is the body's left; with ~0.3° of scatter in a still pose's up,
        /// 3° keeps that axis within ~6°, so sagittal motion leaks under 10% into obliquity.
        /// It can be no stricter: a waist-worn sensor moves as little as 4° between standing
        /// tall and sitting upright (HAPT user 09), and such wearers must still calibrate.
        public var minimumStandToSitDegrees: Double
        /// With a declared mounting, below this stand-to-sit rotation its left axis, projected
        /// onto the measured up, is trusted over the measured axis (with ~0.3° of pose scatter,
        /// 5° keeps the measured axis within a few degrees).
        public var minimumPoseSeparationDegrees: Double
        /// The upper lumbar sensor may turn little, or partly sideways, between the two
        /// poses; a measured axis further than this from the configured left axis is
        /// taken to be such a sideways lean, and the configured mounting is used instead.
        public var maximumUpperLumbarAxisCorrectionDegrees: Double
        /// With a declared mounting, a measured stand-to-sit axis within this of its *right*
        /// axis means the pelvis tilted forward on sitting, and the calibration is refused.
        /// Only a clear contradiction counts: a sticker yawed by tens of degrees, or a
        /// sideways lean, must not trip it.
        public var anteriorSittingWithinDegrees: Double

        public init(
            minimumStandToSitDegrees: Double = 3, minimumPoseSeparationDegrees: Double = 5,
            maximumUpperLumbarAxisCorrectionDegrees: Double = 45, anteriorSittingWithinDegrees: Double = 45
        ) {
            self.minimumStandToSitDegrees = minimumStandToSitDegrees
            self.minimumPoseSeparationDegrees = minimumPoseSeparationDegrees
            self.maximumUpperLumbarAxisCorrectionDegrees = maximumUpperLumbarAxisCorrectionDegrees
            self.anteriorSittingWithinDegrees = anteriorSittingWithinDegrees
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

    /// What calibration found that suggests a setup mistake (a reversed `mount`).
    public var warnings: [CalibrationWarning] {
        [pelvis.warning(sensor: SensorIndex.pelvis), upperLumbar?.warning(sensor: SensorIndex.upperLumbar)]
            .compactMap { $0 }
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
    /// - Pelvis: refused when the poses are closer than `minimumStandToSitDegrees`. By
    ///   construction the measured axis makes sitting posterior, so only a declared
    ///   mounting can show that the wearer leaned forward instead: refused when the axis is
    ///   within `anteriorSittingWithinDegrees` of its right. With a declared mounting and
    ///   poses closer than `minimumPoseSeparationDegrees`, its left (projected onto the
    ///   measured up) gives y; otherwise, and always when undeclared, the measured axis.
    /// - Upper lumbar: its stand-to-sit turn is smaller and may go either way (lumbar
    ///   flexion can exceed the pelvic tilt), so the measured axis takes its sign from
    ///   the prior mounting, and is used only when the turn is large enough and
    ///   the axis within `maximumUpperLumbarAxisCorrectionDegrees` of the prior one.
    ///   Sensor 0's correction is not transferred: each sticker has its own yaw, and
    ///   without heading the two sensors' yaws cannot be related.
    ///
    /// - Parameters:
    ///   - pelvisPrior, upperLumbarPrior: the configured mountings, or `.undeclared`.
    /// - Throws: `CalibrationError.noSamples(pose:sensor: 1)` when sensor 1 appears in
    ///   only one of the two poses (naming the pose it is missing from); `.posesTooClose`
    ///   and `.sittingNotPosterior` for poses that cannot make a calibration.
    public init(
        standing: CapturedPose, sitting: CapturedPose,
        pelvisPrior: MountingPrior = .undeclared, upperLumbarPrior: MountingPrior = .undeclared,
        parameters: Parameters = .init()
    ) throws(CalibrationError) {
        switch (standing.upperLumbar, sitting.upperLumbar) {
        case (nil, _?): throw .noSamples(pose: .standing, sensor: SensorIndex.upperLumbar)
        case (_?, nil): throw .noSamples(pose: .sitting, sensor: SensorIndex.upperLumbar)
        default: break
        }
        pelvis = try Self.calibratePelvis(
            standing: standing.pelvis.up, sitting: sitting.pelvis.up, prior: pelvisPrior, parameters: parameters)
        if let stand = standing.upperLumbar, let sit = sitting.upperLumbar {
            upperLumbar = Self.calibrateUpperLumbar(
                standing: stand.up, sitting: sit.up, prior: upperLumbarPrior, parameters: parameters)
        } else {
            upperLumbar = nil
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

    private static func calibratePelvis(
        standing up: Vector3, sitting upSitting: Vector3, prior: MountingPrior, parameters: Parameters
    ) throws(CalibrationError) -> SensorCalibration {
        let separation = up.angle(to: upSitting).degrees
        guard separation >= parameters.minimumStandToSitDegrees, let axis = up.cross(upSitting).normalized else {
            throw .posesTooClose(degrees: separation, required: parameters.minimumStandToSitDegrees)
        }
        let fallback = projected(prior.mounting, onto: up)
        if prior.isDeclared, axis.angle(to: -fallback.bodyY).degrees <= parameters.anteriorSittingWithinDegrees {
            let forward = SegmentAngleEstimator.sagittalInclination(fallback.toBody(upSitting))
            throw .sittingNotPosterior(sensor: SensorIndex.pelvis, degrees: forward)
        }
        let trustPrior = prior.isDeclared && separation < parameters.minimumPoseSeparationDegrees
        let measured = trustPrior ? nil : SensorMounting(up: up, approximateLeft: axis)
        return sensorCalibration(
            measured ?? fallback, measured == nil ? .prior : .measured, separation: separation, prior: prior)
    }

    private static func calibrateUpperLumbar(
        standing up: Vector3, sitting upSitting: Vector3, prior: MountingPrior, parameters: Parameters
    ) -> SensorCalibration {
        let separation = up.angle(to: upSitting).degrees
        let fallback = projected(prior.mounting, onto: up)
        var chosen = (fallback, LateralAxisSource.prior)
        if separation >= parameters.minimumPoseSeparationDegrees, var axis = up.cross(upSitting).normalized {
            if axis.dot(fallback.bodyY) < 0 { axis = -axis }
            if let measured = SensorMounting(up: up, approximateLeft: axis),
                measured.bodyY.angle(to: fallback.bodyY).degrees <= parameters.maximumUpperLumbarAxisCorrectionDegrees
            {
                chosen = (measured, .measured)
            }
        }
        return sensorCalibration(chosen.0, chosen.1, separation: separation, prior: prior)
    }

    private static func sensorCalibration(
        _ mounting: SensorMounting, _ source: LateralAxisSource, separation: Double, prior: MountingPrior
    ) -> SensorCalibration {
        SensorCalibration(
            mounting: mounting, lateralAxis: source, standToSitDegrees: separation,
            correctionFromPriorDegrees: mounting.degrees(from: prior.mounting), mountingKnowledge: prior.knowledge,
            upFromPriorDegrees: mounting.bodyZ.angle(to: prior.mounting.bodyZ).degrees)
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
