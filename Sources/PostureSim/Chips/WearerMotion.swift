public import PostureCore

/// Feeds a simulated chip from one sensor of a `SimulatedWearer`: the chip then converts
/// the wearer's motion (including its modelled noise and gyro bias) at its own ODR.
public final class WearerMotion: MotionSource {
    public let wearer: SimulatedWearer
    public let sensor: Int

    public init(_ wearer: SimulatedWearer, sensor: Int) {
        self.wearer = wearer
        self.sensor = sensor
    }

    public func specificForceAndRate(at t: Double) -> (accel: Vector3, gyro: Vector3) {
        let s = wearer.sample(sensor: sensor, at: t)
        return (s.accel, s.gyro)
    }
}
