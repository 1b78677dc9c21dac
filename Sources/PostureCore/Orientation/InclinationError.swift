/// The inclination error between two sensor-to-earth orientations, radians in [0, π]:
/// the angle between the earth-up vectors they put in the sensor frame. Heading (rotation
/// about earth z) does not matter, as in the BROAD benchmark's 6D metric.
public func inclinationError(estimated: Quaternion, truth: Quaternion) -> Double {
    estimated.upInBodyFrame.angle(to: truth.upInBodyFrame)
}
