/// A 3-vector of doubles: specific force, angular rate, or a direction.
/// A plain value type so the per-sample path never allocates.
public struct Vector3: Sendable, Equatable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    public static let zero = Vector3(0, 0, 0)
    /// Earth up, in the earth frame (z up).
    public static let up = Vector3(0, 0, 1)

    @inlinable public var squaredNorm: Double { x * x + y * y + z * z }
    @inlinable public var norm: Double { squaredNorm.squareRoot() }

    /// The unit vector in this direction, or `nil` for a (near) zero vector.
    @inlinable public var normalized: Vector3? {
        let n = norm
        guard n > 1e-12, n.isFinite else { return nil }
        return self / n
    }

    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
    /// Each component limited to ±`limit` (a per-axis range, as the datasheets give them).
    @inlinable public func clamped(to limit: Double) -> Vector3 {
        Vector3(Swift.min(Swift.max(x, -limit), limit), Swift.min(Swift.max(y, -limit), limit), Swift.min(Swift.max(z, -limit), limit))
    }

    @inlinable public func dot(_ o: Vector3) -> Double { x * o.x + y * o.y + z * o.z }

    @inlinable public func cross(_ o: Vector3) -> Vector3 {
        Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    /// The angle between two directions, in radians, robust near 0 and π.
    @inlinable public func angle(to o: Vector3) -> Double {
        let c = cross(o).norm
        return Double.atan2(c, dot(o))
    }

    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    @inlinable public static func * (a: Vector3, s: Double) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func * (s: Double, a: Vector3) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func / (a: Vector3, s: Double) -> Vector3 { Vector3(a.x / s, a.y / s, a.z / s) }
    @inlinable public static func += (a: inout Vector3, b: Vector3) { a = a + b }
    @inlinable public static func -= (a: inout Vector3, b: Vector3) { a = a - b }
}
