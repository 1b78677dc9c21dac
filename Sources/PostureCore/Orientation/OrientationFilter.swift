/// 6D orientation filter (accelerometer + gyroscope), one per sensor.
///
/// PLACEHOLDER internals (a plain complementary filter) so the rest of the engine
/// builds; the real filter replaces the body, keeping this public API.
public struct OrientationFilter: Sendable {
    public struct Parameters: Sendable, Equatable {
        public init() {}
    }

    public let parameters: Parameters
    /// Sensor-to-earth orientation (earth z up, heading arbitrary).
    public private(set) var orientation: Quaternion = .identity
    /// Current gyroscope bias estimate, rad/s.
    public private(set) var gyroBias: Vector3 = .zero
    /// Whether the filter has seen its first sample.
    public private(set) var isInitialized = false
    /// Whether the sensor is currently judged at rest.
    public private(set) var isAtRest = false
    private var lastT = 0.0

    public init(parameters: Parameters = .init()) { self.parameters = parameters }

    /// Feeds one sample. `t` in seconds (monotonic), accel in m/s², gyro in rad/s, sensor frame.
    public mutating func update(t: Double, accel: Vector3, gyro: Vector3) {
        guard isInitialized, t > lastT, t - lastT < 0.5 else {
            if let up = accel.normalized { orientation = Quaternion(from: up, to: .up) }
            isInitialized = true
            lastT = t
            return
        }
        let dt = t - lastT
        lastT = t
        orientation = (orientation * Quaternion(rotationVector: (gyro - gyroBias) * dt)).normalized
        if let up = accel.normalized {
            let upEarth = orientation.rotate(up)
            let correction = upEarth.cross(.up) * min(1, dt / 1.0)
            orientation = (Quaternion(rotationVector: correction) * orientation).normalized
        }
    }

    /// Forgets all state (next sample re-initialises from gravity).
    public mutating func reset() { self = OrientationFilter(parameters: parameters) }
}
