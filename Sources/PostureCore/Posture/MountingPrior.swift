/// Whether anyone said how a sensor is mounted.
public enum MountingKnowledge: String, Sendable, Codable {
    /// Configured: the daemon's `[[sensor]] mount` (its default included: the installer
    /// mounted the sensor per the documentation), or `replay --config` naming sensors.
    /// Calibration then judges the poses against it (a sitting pose that leans forward
    /// is refused) and warns when the measured axes contradict it.
    case declared
    /// Nobody said: a recording replayed without `--config`. The default mounting stands in
    /// only for which sensor axis is roughly up; the measured stand-to-sit axis alone
    /// decides the body's left, whatever way the sensor was turned about the spine.
    case undeclared
}

/// The mounting calibration starts from, and how much it can be trusted.
public struct MountingPrior: Sendable, Equatable {
    public var mounting: SensorMounting
    public var knowledge: MountingKnowledge

    public init(_ mounting: SensorMounting, _ knowledge: MountingKnowledge) {
        self.mounting = mounting
        self.knowledge = knowledge
    }

    /// A configured mounting.
    public static func declared(_ mounting: SensorMounting) -> MountingPrior { MountingPrior(mounting, .declared) }

    /// No configuration: the default mounting, not to be judged against.
    public static let undeclared = MountingPrior(.standard, .undeclared)

    public var isDeclared: Bool { knowledge == .declared }
}

/// A calibration that worked but whose figures suggest a mistake in the setup.
public enum CalibrationWarning: Sendable, Equatable, CustomStringConvertible {
    /// Calibration had to turn a declared mounting by more than `reversedAboveDegrees`:
    /// `upDegrees` is how far the measured up lies from the declared one (over 90°: the
    /// sensor is upside down).
    case mountingReversed(sensor: Int, correctionDegrees: Double, upDegrees: Double)

    /// A sacrum slopes by tens of degrees and a sticker sits a little yawed, which stays
    /// well under 90°; past 135° the sensor is the other way round from what `mount` says.
    public static let reversedAboveDegrees = 135.0

    public var description: String {
        switch self {
        case .mountingReversed(let sensor, let correction, let up) where up > 90:
            "sensor \(sensor) is upside down or its `mount` is wrong: standing tall, its up points "
                + "\(tenths(up))° from the configured one (calibration turned the mounting by \(tenths(correction))°); "
                + "turn the sensor over or fix `mount`, then calibrate again"
        case .mountingReversed(let sensor, let correction, _):
            "sensor \(sensor)'s `mount` looks wrong: calibration turned it \(tenths(correction))° about the spine "
                + "(its configured left points to the wearer's right); fix `mount`, then calibrate again"
        }
    }
}
