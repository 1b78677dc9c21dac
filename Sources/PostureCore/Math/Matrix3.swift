/// A 3x3 matrix of doubles stored as three row vectors. A plain value type, so
/// numerical code that uses it (the gyroscope-bias Kalman filter) never allocates.
public struct Matrix3: Sendable, Equatable {
    public var r0: Vector3
    public var r1: Vector3
    public var r2: Vector3

    @inlinable @inline(__always) public init(_ r0: Vector3, _ r1: Vector3, _ r2: Vector3) {
        self.r0 = r0
        self.r1 = r1
        self.r2 = r2
    }

    public static let zero = Matrix3(.zero, .zero, .zero)
    public static let identity = Matrix3(Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1))

    /// `s` times the identity.
    @inlinable @inline(__always) public static func scaledIdentity(_ s: Double) -> Matrix3 {
        Matrix3(Vector3(s, 0, 0), Vector3(0, s, 0), Vector3(0, 0, s))
    }

    /// The rotation matrix of a unit quaternion: `m * v == q.rotate(v)`.
    @inlinable @inline(__always) public init(rotation q: Quaternion) {
        let (w, x, y, z) = (q.w, q.x, q.y, q.z)
        self.init(
            Vector3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)),
            Vector3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)),
            Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)))
    }

    @inlinable @inline(__always) public var transposed: Matrix3 {
        Matrix3(Vector3(r0.x, r1.x, r2.x), Vector3(r0.y, r1.y, r2.y), Vector3(r0.z, r1.z, r2.z))
    }

    @inlinable @inline(__always) public var diagonal: Vector3 { Vector3(r0.x, r1.y, r2.z) }

    @inlinable @inline(__always) public var determinant: Double { r0.dot(r1.cross(r2)) }

    /// The inverse, or `nil` when (nearly) singular or not finite.
    @inlinable @inline(__always) public var inverse: Matrix3? {
        // Rows of the inverse are the columns of the adjugate: cross products of rows.
        let c0 = r1.cross(r2), c1 = r2.cross(r0), c2 = r0.cross(r1)
        let det = r0.dot(c0)
        guard det.isFinite, abs(det) > 1e-300 else { return nil }
        let s = 1 / det
        return Matrix3(
            Vector3(c0.x, c1.x, c2.x) * s, Vector3(c0.y, c1.y, c2.y) * s, Vector3(c0.z, c1.z, c2.z) * s)
    }

    @inlinable @inline(__always) public static func * (m: Matrix3, v: Vector3) -> Vector3 {
        Vector3(m.r0.dot(v), m.r1.dot(v), m.r2.dot(v))
    }

    /// `a * bᵀ`: element (i, j) is row i of `a` dot row j of `b`.
    @inlinable @inline(__always) public static func multiplyTransposed(_ a: Matrix3, _ b: Matrix3) -> Matrix3 {
        Matrix3(
            Vector3(a.r0.dot(b.r0), a.r0.dot(b.r1), a.r0.dot(b.r2)),
            Vector3(a.r1.dot(b.r0), a.r1.dot(b.r1), a.r1.dot(b.r2)),
            Vector3(a.r2.dot(b.r0), a.r2.dot(b.r1), a.r2.dot(b.r2)))
    }

    @inlinable @inline(__always) public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        // Row i of a*b is the combination of b's rows weighted by row i of a.
        Matrix3(
            b.r0 * a.r0.x + b.r1 * a.r0.y + b.r2 * a.r0.z,
            b.r0 * a.r1.x + b.r1 * a.r1.y + b.r2 * a.r1.z,
            b.r0 * a.r2.x + b.r1 * a.r2.y + b.r2 * a.r2.z)
    }

    @inlinable @inline(__always) public static func + (a: Matrix3, b: Matrix3) -> Matrix3 { Matrix3(a.r0 + b.r0, a.r1 + b.r1, a.r2 + b.r2) }
    @inlinable @inline(__always) public static func - (a: Matrix3, b: Matrix3) -> Matrix3 { Matrix3(a.r0 - b.r0, a.r1 - b.r1, a.r2 - b.r2) }
    @inlinable @inline(__always) public static func * (a: Matrix3, s: Double) -> Matrix3 { Matrix3(a.r0 * s, a.r1 * s, a.r2 * s) }
}
