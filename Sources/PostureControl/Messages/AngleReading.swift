public import PostureCore

/// The three segment angles on the wire, degrees (`docs/architecture.md` conventions).
/// Non-finite values become `null`: JSON has no NaN, and an angle that cannot be computed
/// is unknown, not zero. `lumbar_flexion` is `null` without sensor 1, never invented.
public struct AngleReading: Sendable, Equatable, Codable {
    public var pelvicTilt: Double?
    public var pelvicObliquity: Double?
    public var lumbarFlexion: Double?

    public init(pelvicTilt: Double?, pelvicObliquity: Double?, lumbarFlexion: Double?) {
        self.pelvicTilt = pelvicTilt.finiteValue
        self.pelvicObliquity = pelvicObliquity.finiteValue
        self.lumbarFlexion = lumbarFlexion.finiteValue
    }

    public init(_ angles: SegmentAngles) {
        self.init(pelvicTilt: angles.pelvicTilt, pelvicObliquity: angles.pelvicObliquity, lumbarFlexion: angles.lumbarFlexion)
    }

    enum CodingKeys: String, CodingKey {
        case pelvicTilt = "pelvic_tilt"
        case pelvicObliquity = "pelvic_obliquity"
        case lumbarFlexion = "lumbar_flexion"
    }

    /// Always writes all three keys (`null` when unknown), like the replay summary.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pelvicTilt.finiteValue, forKey: .pelvicTilt)
        try container.encode(pelvicObliquity.finiteValue, forKey: .pelvicObliquity)
        try container.encode(lumbarFlexion.finiteValue, forKey: .lumbarFlexion)
    }
}

extension Optional where Wrapped == Double {
    /// `nil` for NaN and infinities: JSON cannot carry them.
    var finiteValue: Double? {
        guard let value = self, value.isFinite else { return nil }
        return value
    }
}
