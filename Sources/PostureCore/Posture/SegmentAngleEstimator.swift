/// Segment angles from sensor orientations, per the architecture note's conventions.
///
/// Decomposition (documented choice): with u = earth-up in the body frame of a sensor,
///
///     sagittal = atan2(−u.x, u.z)                 (positive: body z leans anterior)
///     frontal  = atan2(u.y, √(u.x² + u.z²))       (positive: left side higher)
///
/// i.e. the body-to-earth rotation is Rx(frontal)·Ry(sagittal): a tilt about the
/// body's own left axis, then a roll about the earth-fixed anterior axis. The
/// sagittal angle is therefore exact whatever the obliquity, a pure sagittal tilt gives
/// zero obliquity at every angle (lying on the back is −90°, prone +90°), and a pure
/// frontal roll gives zero tilt. Lying on a side (u ≈ ±y) leaves the sagittal angle
/// undefined (it reads 0); the frontal angle is then ±90°.
public struct SegmentAngleEstimator: Sendable, Equatable {
    public var pelvis: SensorMounting
    /// `nil`: no upper lumbar sensor, so lumbar flexion is never reported.
    public var upperLumbar: SensorMounting?

    public init(pelvis: SensorMounting, upperLumbar: SensorMounting?) {
        self.pelvis = pelvis
        self.upperLumbar = upperLumbar
    }

    /// Angles relative to standing tall, from a calibration.
    public init(calibration: Calibration) {
        self.init(pelvis: calibration.pelvis.mounting, upperLumbar: calibration.upperLumbar?.mounting)
    }

    /// From the filters' sensor-to-earth orientations. Lumbar flexion is `nil` when
    /// `upperLumbar` is `nil` or this estimator has no upper lumbar mounting.
    public func angles(pelvis q0: Quaternion, upperLumbar q1: Quaternion?) -> SegmentAngles {
        angles(pelvisUp: q0.upInBodyFrame, upperLumbarUp: q1?.upInBodyFrame)
    }

    /// From earth-up (gravity direction, any length) in each sensor's frame, e.g. a
    /// still accelerometer reading.
    public func angles(pelvisUp: Vector3, upperLumbarUp: Vector3?) -> SegmentAngles {
        let u0 = pelvis.toBody(pelvisUp)
        let tilt = Self.sagittalInclination(u0)
        var flexion: Double?
        if let mounting = upperLumbar, let up1 = upperLumbarUp {
            flexion = Self.wrapped(Self.sagittalInclination(mounting.toBody(up1)) - tilt)
        }
        return SegmentAngles(pelvicTilt: tilt, pelvicObliquity: Self.frontalInclination(u0), lumbarFlexion: flexion)
    }

    /// Sagittal inclination in degrees, positive anterior, of a body whose frame sees
    /// earth-up as `u`: anterior tilt turns body z forward, so up leans to −x.
    public static func sagittalInclination(_ u: Vector3) -> Double { Double.atan2(-u.x, u.z).degrees }

    /// Frontal inclination in degrees, positive = left side higher (up leans to +y).
    public static func frontalInclination(_ u: Vector3) -> Double {
        Double.atan2(u.y, (u.x * u.x + u.z * u.z).squareRoot()).degrees
    }

    /// Into (−180, 180]: a difference of two sagittal angles near ±180° stays small.
    private static func wrapped(_ degrees: Double) -> Double {
        var d = degrees
        if d > 180 { d -= 360 } else if d <= -180 { d += 360 }
        return d
    }
}

extension SegmentAngles {
    /// Angle in degrees between the pelvis's body z (up when standing tall) and
    /// earth-up, recovered from tilt and obliquity: with the decomposition of
    /// `SegmentAngleEstimator`, u.z = cos(tilt)·cos(obliquity).
    public var pelvisInclination: Double {
        Double.acos(Double.cos(pelvicTilt.radians) * Double.cos(pelvicObliquity.radians)).degrees
    }
}
