/// One reading of one IMU, in SI units and the sensor's own frame.
///
/// The single currency between sources (I2C drivers, the register-level simulator,
/// a replayed CSV) and the engine: whatever produced it, the engine sees the same thing.
public struct IMUSample: Sendable, Equatable {
    /// Seconds on a monotonic clock.
    public var t: Double
    /// 0 is the pelvis (S1–S2), 1 the optional upper lumbar sensor (L1/T12).
    public var sensor: Int
    /// Specific force, m/s²; at rest +9.81 along earth-up expressed in the sensor frame.
    public var accel: Vector3
    /// Angular rate, rad/s.
    public var gyro: Vector3

    @inlinable public init(t: Double, sensor: Int, accel: Vector3, gyro: Vector3) {
        self.t = t
        self.sensor = sensor
        self.accel = accel
        self.gyro = gyro
    }
}

/// Sensor indices with a meaning.
public enum SensorIndex {
    public static let pelvis = 0
    public static let upperLumbar = 1
    /// The engine supports at most this many sensors.
    public static let count = 2
}

/// Standard gravity, m/s².
public let standardGravity = 9.80665
