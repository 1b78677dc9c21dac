/// What the wearer is doing, as the engine reports it.
public enum Activity: String, Sendable, Codable, CaseIterable {
    case sitting, standing, walking, lying
}

/// Why the wearer was nudged. Raw values are the CLI contract's strings.
public enum NudgeReason: String, Sendable, Codable, CaseIterable {
    /// Sitting with the pelvis tilted back or the lumbar spine flexed, held.
    case slouch
    /// A sitting bout has lasted too long: get up.
    case sittingTooLong = "sitting_too_long"
}

/// The segment angles of the architecture note, in degrees, relative to standing neutral.
public struct SegmentAngles: Sendable, Equatable {
    /// Sagittal inclination of the pelvis sensor; positive = anterior (top of pelvis forward).
    public var pelvicTilt: Double
    /// Frontal-plane inclination of the pelvis sensor; positive = left side higher.
    public var pelvicObliquity: Double
    /// Sagittal inclination of sensor 1 minus that of sensor 0; positive = flexion.
    /// `nil` without sensor 1: never invented.
    public var lumbarFlexion: Double?

    @inlinable public init(pelvicTilt: Double, pelvicObliquity: Double, lumbarFlexion: Double?) {
        self.pelvicTilt = pelvicTilt
        self.pelvicObliquity = pelvicObliquity
        self.lumbarFlexion = lumbarFlexion
    }
}
