/// A unit quaternion `w + xi + yj + zk` representing a rotation.
///
/// Convention: an orientation quaternion `q` maps vectors from the *sensor* frame
/// to the *earth* frame (`v_earth = q.rotate(v_sensor)`), Hamilton product, as in
/// `posturectl fuse` output and the BROAD ground truth.
public struct Quaternion: Sendable, Equatable, Codable {
    public var w: Double
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(w: Double, x: Double, y: Double, z: Double) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// Rotation by `angle` radians about the unit `axis`.
    @inlinable public init(axis: Vector3, angle: Double) {
        let h = 0.5 * angle
        let s = Double.sin(h)
        self.init(w: Double.cos(h), x: axis.x * s, y: axis.y * s, z: axis.z * s)
    }

    /// The rotation by the rotation vector `r` (axis times angle, radians).
    /// Exact for any magnitude; a first-order series near zero.
    @inlinable public init(rotationVector r: Vector3) {
        let angle = r.norm
        if angle < 1e-9 {
            self = Quaternion(w: 1, x: 0.5 * r.x, y: 0.5 * r.y, z: 0.5 * r.z).normalized
        } else {
            self.init(axis: r / angle, angle: angle)
        }
    }

    /// The shortest rotation taking unit vector `a` onto unit vector `b`.
    @inlinable public init(from a: Vector3, to b: Vector3) {
        let c = a.cross(b)
        let d = a.dot(b)
        if d < -0.999999 {
            // Opposite: rotate π about any axis perpendicular to `a`.
            let axis = (abs(a.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)).cross(a).normalized ?? Vector3(0, 0, 1)
            self.init(axis: axis, angle: .pi)
        } else {
            self = Quaternion(w: 1 + d, x: c.x, y: c.y, z: c.z).normalized
        }
    }

    @inlinable public var vector: Vector3 { Vector3(x, y, z) }
    @inlinable public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }
    @inlinable public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }

    @inlinable public var normalized: Quaternion {
        let n = norm
        return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
    }

    /// Hamilton product: `(a * b).rotate(v) == a.rotate(b.rotate(v))`.
    @inlinable public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
        Quaternion(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    /// Rotates `v` by this (unit) quaternion.
    @inlinable public func rotate(_ v: Vector3) -> Vector3 {
        // v' = v + 2w(u×v) + 2u×(u×v), u the vector part: 15 multiplies, no trig.
        let u = vector
        let t = 2.0 * u.cross(v)
        return v + w * t + u.cross(t)
    }

    /// Rotates `v` by the inverse of this (unit) quaternion.
    @inlinable public func inverseRotate(_ v: Vector3) -> Vector3 { conjugate.rotate(v) }

    /// Earth up (z) expressed in the frame this quaternion maps from (the sensor frame).
    @inlinable public var upInBodyFrame: Vector3 {
        // Third row of the rotation matrix = R^T e_z.
        Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z)
    }

    /// The rotation angle in radians, in [0, π].
    @inlinable public var angle: Double { 2 * Double.atan2(vector.norm, abs(w)) }
}
