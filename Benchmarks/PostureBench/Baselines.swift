import PostureCore

/// What a baseline filter must do to be scored and timed beside ours: take samples, give the
/// sensor-to-earth orientation (earth z up; heading free).
protocol BaselineFilter {
    mutating func update(t: Double, accel: Vector3, gyro: Vector3)
    var orientation: Quaternion { get }
}

/// First-order integration q += ½ q ⊗ (0, ω) dt of a body-frame rate, then normalisation:
/// the step both baselines share.
@inline(__always)
func integrated(_ q: Quaternion, _ omega: Vector3, dt: Double) -> Quaternion {
    let h = 0.5 * dt
    return Quaternion(
        w: q.w - h * (q.x * omega.x + q.y * omega.y + q.z * omega.z),
        x: q.x + h * (q.w * omega.x + q.y * omega.z - q.z * omega.y),
        y: q.y + h * (q.w * omega.y - q.x * omega.z + q.z * omega.x),
        z: q.z + h * (q.w * omega.z + q.x * omega.y - q.y * omega.x)
    ).normalized
}

/// Mahony's nonlinear complementary filter (PI feedback of the cross product of measured and
/// estimated gravity), the cheapest reasonable 6D filter.
struct MahonyBaseline: BaselineFilter {
    /// Proportional gain, 1/s: how fast the inclination follows the accelerometer.
    var proportionalGain = 1.0
    /// Integral gain, 1/s²: how fast the gyroscope bias is learnt (0: none).
    var integralGain = 1.0 / 30
    var q = Quaternion.identity
    var integral = Vector3.zero
    var lastT = -Double.infinity

    var orientation: Quaternion { q }

    @inline(never)
    mutating func update(t: Double, accel: Vector3, gyro: Vector3) {
        guard t > lastT else { return }
        let dt = t - lastT
        lastT = t
        guard dt < 0.2 else { return }
        var omega = gyro
        if let a = accel.normalized {
            let error = a.cross(q.upInBodyFrame)  // rotates the estimate towards the measurement
            integral += error * (integralGain * dt)
            omega += error * proportionalGain + integral
        }
        q = integrated(q, omega, dt: dt)
    }
}

/// Madgwick's gradient-descent filter, IMU form (Madgwick 2010, section 3): the quaternion
/// rate from the gyroscope, minus `beta` times the normalised gradient of the gravity error
/// f(q) = (estimated earth-up in the sensor frame) − (measured, normalised acceleration).
struct MadgwickBaseline: BaselineFilter {
    /// The gradient step, rad/s: the gyroscope error the filter is tuned to remove.
    var beta = 0.033
    var q = Quaternion.identity
    var lastT = -Double.infinity

    var orientation: Quaternion { q }

    @inline(never)
    mutating func update(t: Double, accel: Vector3, gyro: Vector3) {
        guard t > lastT else { return }
        let dt = t - lastT
        lastT = t
        guard dt < 0.2 else { return }
        // q̇ = ½ q ⊗ (0, ω)
        var dw = 0.5 * (-q.x * gyro.x - q.y * gyro.y - q.z * gyro.z)
        var dx = 0.5 * (q.w * gyro.x + q.y * gyro.z - q.z * gyro.y)
        var dy = 0.5 * (q.w * gyro.y - q.x * gyro.z + q.z * gyro.x)
        var dz = 0.5 * (q.w * gyro.z + q.x * gyro.y - q.y * gyro.x)
        if let a = accel.normalized {
            let (w, x, y, z) = (q.w, q.x, q.y, q.z)
            // f = up(q) − a, up(q) = (2(xz − wy), 2(yz + wx), w² − x² − y² + z²) with |q| = 1.
            let up = q.upInBodyFrame
            let f = up - a
            // Jᵀ f, J the Jacobian of up(q) with respect to (w, x, y, z).
            var gw = 2 * (-y * f.x + x * f.y + w * f.z)
            var gx = 2 * (z * f.x + w * f.y - x * f.z)
            var gy = 2 * (-w * f.x + z * f.y - y * f.z)
            var gz = 2 * (x * f.x + y * f.y + z * f.z)
            let norm = (gw * gw + gx * gx + gy * gy + gz * gz).squareRoot()
            if norm > 1e-12 {
                gw /= norm; gx /= norm; gy /= norm; gz /= norm
                dw -= beta * gw; dx -= beta * gx; dy -= beta * gy; dz -= beta * gz
            }
        }
        q = Quaternion(w: q.w + dw * dt, x: q.x + dx * dt, y: q.y + dy * dt, z: q.z + dz * dt).normalized
    }
}
