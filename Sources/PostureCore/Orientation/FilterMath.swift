// Always-inlined quaternion steps for the per-sample path of `OrientationFilter`: the
// general `Quaternion` operators are cross-module `@inlinable` and the optimiser may keep
// them as calls; here each costs a few multiplies, so a call would dominate.

extension Quaternion {
    /// Hamilton product `a * b`, always inlined.
    @inline(__always)
    static func product(_ a: Quaternion, _ b: Quaternion) -> Quaternion {
        Quaternion(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    /// `rotate(v)`, always inlined.
    @inline(__always)
    func rotated(_ v: Vector3) -> Vector3 {
        let u = Vector3(x, y, z)
        let t = 2.0 * u.cross(v)
        return v + w * t + u.cross(t)
    }

    /// This nearly unit quaternion scaled back to unit norm. A product of unit quaternions
    /// is unit up to rounding, so one Newton step for 1/√n² from 1 (relative error
    /// 3/8·(n²−1)²) replaces a square root and a division; far from unit (never on the
    /// per-sample path) it normalises exactly.
    @inline(__always)
    var renormalized: Quaternion {
        let n2 = w * w + x * x + y * y + z * z
        let s = abs(n2 - 1) < Self.newtonRenormalizationLimit ? 1.5 - 0.5 * n2 : 1 / n2.squareRoot()
        return Quaternion(w: w * s, x: x * s, y: y * s, z: z * s)
    }

    /// Largest |n² − 1| renormalised by the Newton step (its error is then < 4e-13).
    static let newtonRenormalizationLimit = 1e-6
}
