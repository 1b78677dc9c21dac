public import PostureCore

/// One raw IMU sample on the wire (events of `record`): the `IMUSample` the loop read,
/// in SI units and the sensor frame, exactly what IMU CSV v1 stores.
public struct RawSampleFrame: Sendable, Equatable, Codable {
    /// Seconds on the daemon's monotonic clock.
    public var t: Double
    public var sensor: Int
    /// Specific force, m/s², [x, y, z].
    public var accel: [Double]
    /// Angular rate, rad/s, [x, y, z].
    public var gyro: [Double]

    public init(_ sample: IMUSample) {
        t = sample.t
        sensor = sample.sensor
        accel = [sample.accel.x, sample.accel.y, sample.accel.z]
        gyro = [sample.gyro.x, sample.gyro.y, sample.gyro.z]
    }

    /// The sample, or `nil` when a vector does not have three finite components.
    public var sample: IMUSample? {
        guard accel.count == 3, gyro.count == 3, t.isFinite, (accel + gyro).allSatisfy(\.isFinite) else { return nil }
        return IMUSample(
            t: t, sensor: sensor, accel: Vector3(accel[0], accel[1], accel[2]),
            gyro: Vector3(gyro[0], gyro[1], gyro[2]))
    }

    /// Samples with a non-finite value (a sensor dropout) cannot travel as JSON numbers;
    /// they are left out of a batch rather than failing it.
    public var isFinite: Bool { t.isFinite && (accel + gyro).allSatisfy(\.isFinite) }
}
