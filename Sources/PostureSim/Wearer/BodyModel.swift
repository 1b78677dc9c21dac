public import PostureCore

/// The wearer's body as two rigid segments (pelvis, lumbar spine) on a moving hip centre.
///
/// Frames follow architecture.md. A segment's body frame is x anterior, y left, z up when
/// standing neutral; its orientation (body → earth) is
///
///     q = Rz(heading + axial) · Rx(obliquity) · Ry(tilt)
///
/// so that, with `u` = earth up expressed in the segment frame,
/// `tilt = atan2(-u.x, u.z)` (sagittal inclination, + = top forward = anterior) and
/// `obliquity = asin(u.y)` (frontal inclination, + = left side higher), exactly.
/// The lumbar segment's tilt is the pelvis tilt plus the lumbar flexion, so
/// `lumbarFlexion` is exactly the difference of the two sagittal inclinations.
public enum BodyModel {
    /// Default mounting of every sensor, sensor frame → segment frame: sensor x up the spine
    /// (segment +z), sensor y left (segment +y), sensor z out of the back (segment −x).
    /// A rotation of −90° about the segment's y axis.
    public static let defaultMount = Quaternion(axis: Vector3(0, 1, 0), angle: -Double.pi / 2)

    // MARK: Geometry (metres, segment frame: x anterior, y left, z up)

    /// Pelvis sensor (sacrum, S1–S2 skin) relative to the hip-joint centre: behind and above.
    static let pelvisSensorOffset = Vector3(-0.10, 0, 0.05)
    /// Lumbosacral joint (L5/S1) relative to the hip-joint centre, in the pelvis frame.
    static let lumbosacralOffset = Vector3(-0.05, 0, 0.10)
    /// Upper lumbar sensor (L1/T12 skin) relative to L5/S1, in the lumbar frame: the lumbar
    /// spine is ~20 cm long; the skin is ~5 cm behind the vertebral bodies.
    static let lumbarSensorOffset = Vector3(-0.05, 0, 0.20)

    /// Height of the hip-joint centre above the floor, m, per activity. Lying is on a bed or
    /// couch, which is why it is not much lower than sitting.
    static func hipHeight(_ activity: Activity) -> Double {
        switch activity {
        case .standing, .walking: return 0.93
        case .sitting: return 0.48
        case .lying: return 0.55
        }
    }

    /// The hip centre moves this far forward (m) when standing up from a chair (the trunk
    /// leans over the feet), and back when sitting down.
    static let sitToStandForwardShift = 0.20

    /// Orientation (segment → earth) from angles in degrees.
    static func orientation(heading: Double, obliquity: Double, tilt: Double) -> Quaternion {
        let hz = 0.5 * heading.radians, hx = 0.5 * obliquity.radians, hy = 0.5 * tilt.radians
        let cz = Double.cos(hz), sz = Double.sin(hz)
        let cx = Double.cos(hx), sx = Double.sin(hx)
        let cy = Double.cos(hy), sy = Double.sin(hy)
        // (cz + sz k)(cx + sx i) = cz cx + cz sx i + sz cx k + sz sx j
        let a = Quaternion(w: cz * cx, x: cz * sx, y: sz * sx, z: sz * cx)
        return a * Quaternion(w: cy, x: 0, y: sy, z: 0)
    }
}

/// The pose of both segments at one instant: model parameters, degrees.
struct BodyPose: Sendable, Equatable {
    /// Direction the body faces, about earth up, + = counter-clockwise seen from above (left).
    var heading = 0.0
    var pelvicTilt = 0.0
    var pelvicObliquity = 0.0
    /// Axial (transverse-plane) rotation of the pelvis relative to `heading`.
    var pelvicRotation = 0.0
    /// Lumbar sagittal inclination minus the pelvis's: + = flexion.
    var lumbarFlexion = 0.0
    /// Lumbar frontal inclination minus the pelvis's (lateral bending, + = toward the right).
    var lumbarLateral = 0.0
    /// Axial rotation of the lumbar segment relative to `heading`.
    var lumbarRotation = 0.0

    static let zero = BodyPose()

    static func + (a: BodyPose, b: BodyPose) -> BodyPose {
        BodyPose(
            heading: a.heading + b.heading, pelvicTilt: a.pelvicTilt + b.pelvicTilt,
            pelvicObliquity: a.pelvicObliquity + b.pelvicObliquity,
            pelvicRotation: a.pelvicRotation + b.pelvicRotation, lumbarFlexion: a.lumbarFlexion + b.lumbarFlexion,
            lumbarLateral: a.lumbarLateral + b.lumbarLateral, lumbarRotation: a.lumbarRotation + b.lumbarRotation)
    }

    static func * (a: BodyPose, s: Double) -> BodyPose {
        BodyPose(
            heading: a.heading * s, pelvicTilt: a.pelvicTilt * s, pelvicObliquity: a.pelvicObliquity * s,
            pelvicRotation: a.pelvicRotation * s, lumbarFlexion: a.lumbarFlexion * s,
            lumbarLateral: a.lumbarLateral * s, lumbarRotation: a.lumbarRotation * s)
    }

    /// `a` at `s = 0`, `b` at `s = 1`.
    static func blend(_ a: BodyPose, _ b: BodyPose, _ s: Double) -> BodyPose { a * (1 - s) + b * s }

    /// Pelvis segment → earth.
    var pelvisOrientation: Quaternion {
        BodyModel.orientation(heading: heading + pelvicRotation, obliquity: pelvicObliquity, tilt: pelvicTilt)
    }

    /// Lumbar segment → earth.
    var lumbarOrientation: Quaternion {
        BodyModel.orientation(
            heading: heading + lumbarRotation, obliquity: pelvicObliquity + lumbarLateral,
            tilt: pelvicTilt + lumbarFlexion)
    }
}

/// Minimum-jerk blend 0 → 1 on τ ∈ [0, 1] (Flash & Hogan 1985): the smooth profile of
/// voluntary human movements; zero velocity and acceleration at both ends.
enum MinimumJerk {
    static func s(_ tau: Double) -> Double {
        let x = min(1, max(0, tau))
        return x * x * x * (10 + x * (-15 + 6 * x))
    }

    /// ds/dτ.
    static func ds(_ tau: Double) -> Double {
        guard tau > 0, tau < 1 else { return 0 }
        let a = tau * (1 - tau)
        return 30 * a * a
    }

    /// d²s/dτ².
    static func dds(_ tau: Double) -> Double {
        guard tau > 0, tau < 1 else { return 0 }
        return 60 * tau * (1 - tau) * (1 - 2 * tau)
    }

    /// An excursion 0 → 1 → 0 over `duration`: rise and fall each take `rampFraction`.
    static func bump(_ t: Double, duration: Double, rampFraction: Double = 0.3) -> Double {
        guard t > 0, t < duration else { return 0 }
        let ramp = rampFraction * duration
        if t < ramp { return s(t / ramp) }
        if t > duration - ramp { return s((duration - t) / ramp) }
        return 1
    }
}
