public import PostureCore

/// What a simulated chip senses: specific force (m/s², +9.81 along earth-up at rest) and
/// angular rate (rad/s), both in the chip's own sensor frame, at any time.
public protocol MotionSource: AnyObject {
    func specificForceAndRate(at t: Double) -> (accel: Vector3, gyro: Vector3)
}

/// A chip at rest with a fixed attitude, optionally spinning at a constant rate (the
/// specific force stays put: a turntable with the chip on its axis).
public final class SteadyMotion: MotionSource {
    public var accel: Vector3
    public var gyro: Vector3

    /// Lying flat, z up: reads +g on z.
    public init(accel: Vector3 = Vector3(0, 0, standardGravity), gyro: Vector3 = .zero) {
        self.accel = accel
        self.gyro = gyro
    }

    public func specificForceAndRate(at t: Double) -> (accel: Vector3, gyro: Vector3) { (accel, gyro) }
}

/// Any closure of time; handy for tests that need a signal that changes every sample.
public final class ClosureMotion: MotionSource {
    private let body: (Double) -> (accel: Vector3, gyro: Vector3)
    public init(_ body: @escaping (Double) -> (accel: Vector3, gyro: Vector3)) { self.body = body }
    public func specificForceAndRate(at t: Double) -> (accel: Vector3, gyro: Vector3) { body(t) }
}
