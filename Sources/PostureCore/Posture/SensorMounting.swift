/// How a sensor sits on the body: the sensor-to-body rotation, stored as the three
/// body axes expressed in the sensor frame (the rows of the rotation matrix).
///
/// Body frame (architecture note): x anterior, y the wearer's left, z up, when
/// standing neutral. Rows rather than a quaternion because converting a vector is
/// then three dot products, and the stored calibration reads as plain directions.
public struct SensorMounting: Sendable, Equatable, Codable {
    /// The body's anterior axis, in sensor coordinates (unit).
    public var bodyX: Vector3
    /// The body's left axis, in sensor coordinates (unit).
    public var bodyY: Vector3
    /// The body's up axis (when standing neutral), in sensor coordinates (unit).
    public var bodyZ: Vector3

    /// From three orthonormal, right-handed body axes in sensor coordinates.
    /// Callers inside PostureCore guarantee orthonormality; see `init(remap:)`
    /// and `Calibration` for the checked paths.
    @inlinable public init(bodyX: Vector3, bodyY: Vector3, bodyZ: Vector3) {
        self.bodyX = bodyX
        self.bodyY = bodyY
        self.bodyZ = bodyZ
    }

    /// The default mounting of the architecture note: sensor x up the spine (body z),
    /// sensor y to the wearer's left (body y), sensor z out of the back (body −x).
    public static let standard = SensorMounting(
        bodyX: Vector3(0, 0, -1), bodyY: Vector3(0, 1, 0), bodyZ: Vector3(1, 0, 0))

    /// A sensor-frame vector expressed in the body frame.
    @inlinable public func toBody(_ v: Vector3) -> Vector3 {
        Vector3(bodyX.dot(v), bodyY.dot(v), bodyZ.dot(v))
    }

    /// The same rotation as a quaternion mapping sensor-frame vectors to body-frame
    /// vectors (`sensorToBody.rotate(v) == toBody(v)`), for composing with filter output.
    public var sensorToBody: Quaternion {
        // Shepperd's method on the matrix whose rows are bodyX, bodyY, bodyZ.
        let (m00, m01, m02) = (bodyX.x, bodyX.y, bodyX.z)
        let (m10, m11, m12) = (bodyY.x, bodyY.y, bodyY.z)
        let (m20, m21, m22) = (bodyZ.x, bodyZ.y, bodyZ.z)
        let trace = m00 + m11 + m22
        let q: Quaternion
        if trace > 0 {
            let s = 2 * (trace + 1).squareRoot()
            q = Quaternion(w: s / 4, x: (m21 - m12) / s, y: (m02 - m20) / s, z: (m10 - m01) / s)
        } else if m00 > m11 && m00 > m22 {
            let s = 2 * (1 + m00 - m11 - m22).squareRoot()
            q = Quaternion(w: (m21 - m12) / s, x: s / 4, y: (m01 + m10) / s, z: (m02 + m20) / s)
        } else if m11 > m22 {
            let s = 2 * (1 + m11 - m00 - m22).squareRoot()
            q = Quaternion(w: (m02 - m20) / s, x: (m01 + m10) / s, y: s / 4, z: (m12 + m21) / s)
        } else {
            let s = 2 * (1 + m22 - m00 - m11).squareRoot()
            q = Quaternion(w: (m10 - m01) / s, x: (m02 + m20) / s, y: (m12 + m21) / s, z: s / 4)
        }
        return q.normalized
    }

    /// The angle in degrees between this mounting and `other` (size of the rotation
    /// taking one onto the other): how far calibration moved away from the prior.
    public func degrees(from other: SensorMounting) -> Double {
        // trace(R_a R_bᵀ) = 1 + 2 cos θ, and R_a R_bᵀ has trace Σ rowA_i · rowB_i.
        let trace = bodyX.dot(other.bodyX) + bodyY.dot(other.bodyY) + bodyZ.dot(other.bodyZ)
        return Double.acos((trace - 1) / 2).degrees
    }

    /// A mounting from up (body z) and an approximate left (body y) direction, both
    /// in sensor coordinates: z is kept exactly, y is orthogonalised against it, x = y × z.
    /// `nil` when `up` is zero or `left` is (nearly) parallel to it.
    public init?(up: Vector3, approximateLeft left: Vector3) {
        guard let z = up.normalized else { return nil }
        let perpendicular = left - z * left.dot(z)
        guard perpendicular.norm > Self.minimumOrthogonalComponent * left.norm,
            let y = perpendicular.normalized
        else { return nil }
        self.init(bodyX: y.cross(z), bodyY: y, bodyZ: z)
    }

    /// Below this fraction of its length, the left direction has no usable component
    /// perpendicular to up (it lies within ~0.6° of it) and the axis would be noise.
    static let minimumOrthogonalComponent = 0.01
}
