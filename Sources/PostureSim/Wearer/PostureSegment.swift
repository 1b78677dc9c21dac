public import PostureCore

/// A named posture: what a timeline segment asks the wearer to do.
public enum PostureKind: String, Sendable, CaseIterable, Codable {
    /// Standing tall and still: the zero of every angle (calibration pose).
    case standTall
    /// Standing relaxed, shifting weight now and then.
    case stand
    /// Sitting upright: pelvis ~17° posterior, lumbar ~8° flexed (calibration pose).
    case sitUpright
    /// Slumped sitting: pelvis ~31° posterior, lumbar ~22° more flexed than upright.
    case slouch
    /// Leaning forward to the desk from the hips: pelvis tilts anteriorly, lumbar stays
    /// neutral. Must not be taken for a slouch.
    case leanForward
    /// Sitting upright with frequent brief (1–5 s) random excursions.
    case fidget
    /// Level walking with turns.
    case walk
    /// Lying on the back: trunk horizontal (pelvic tilt −90°).
    case lieSupine
    /// Lying on the left side (pelvic obliquity −90°), slightly curled.
    case lieSide

    public var activity: Activity {
        switch self {
        case .standTall, .stand: return .standing
        case .sitUpright, .slouch, .leanForward, .fidget: return .sitting
        case .walk: return .walking
        case .lieSupine, .lieSide: return .lying
        }
    }

    /// True for the postures the slouch policy should catch.
    public var isSlouch: Bool { self == .slouch }

    /// Nominal (pelvic tilt, pelvic obliquity, lumbar flexion), degrees, vs standing neutral.
    public var nominalAngles: (pelvicTilt: Double, pelvicObliquity: Double, lumbarFlexion: Double) {
        switch self {
        case .standTall: return (0, 0, 0)
        case .stand: return (-2, 0, 3)
        case .sitUpright, .fidget: return (-17, 0, 8)
        case .slouch: return (-31, 0, 30)
        case .leanForward: return (5, 0, 6)
        case .walk: return (2, 0, 2)
        case .lieSupine: return (-90, 0, 5)
        case .lieSide: return (0, -90, 12)
        }
    }

    /// Default rate of brief random excursions, per minute.
    var nominalFidgetsPerMinute: Double {
        switch self {
        case .standTall, .walk: return 0
        case .stand: return 1
        case .sitUpright, .slouch, .leanForward: return 0.5
        case .fidget: return 8
        case .lieSupine, .lieSide: return 0.2
        }
    }

    /// Default rate of small weight shifts while sitting, per minute (none in other postures).
    var nominalWeightShiftsPerMinute: Double { activity == .sitting ? 1.5 : 0 }

    /// 1σ size of one excursion: tilt, obliquity, flexion, heading (degrees).
    var fidgetSize: BodyPose {
        self == .fidget
            ? BodyPose(heading: 12, pelvicTilt: 4, pelvicObliquity: 3, lumbarFlexion: 5)
            : BodyPose(heading: 5, pelvicTilt: 1.5, pelvicObliquity: 1, lumbarFlexion: 2)
    }
}

/// A movement written into a segment rather than drawn: out to an offset and back,
/// e.g. the wearer shifting during a calibration window.
public struct ScriptedMove: Sendable, Equatable {
    /// Seconds from the segment's start.
    public var start: Double
    /// Seconds, out and back (minimum-jerk ramps of 30% each way).
    public var duration: Double
    /// The offset at the top of the movement, degrees.
    public var pelvicTilt: Double
    public var pelvicObliquity: Double

    public init(start: Double, duration: Double, pelvicTilt: Double, pelvicObliquity: Double) {
        self.start = start
        self.duration = duration
        self.pelvicTilt = pelvicTilt
        self.pelvicObliquity = pelvicObliquity
    }
}

/// One step of a posture timeline: hold a posture for `duration` seconds, reached by a
/// smooth (minimum-jerk) transition from the previous segment's posture that takes the
/// first `transition` seconds of this segment.
public struct PostureSegment: Sendable, Equatable {
    public var kind: PostureKind
    /// Seconds, including the transition into it.
    public var duration: Double
    /// Target angles, degrees, relative to standing neutral (see `PostureKind.nominalAngles`).
    public var pelvicTilt: Double
    public var pelvicObliquity: Double
    public var lumbarFlexion: Double
    /// Brief (1–5 s) random excursions per minute.
    public var fidgetsPerMinute: Double
    /// Small held weight shifts per minute (sitting; see `HumanMotion.weightShifts`).
    public var weightShiftsPerMinute: Double
    /// Movements at fixed times within the segment, on top of everything else.
    public var scriptedMoves: [ScriptedMove]
    /// Heading change during the transition into this segment, degrees, + = to the left.
    public var turn: Double
    /// Transition length, s; `nil` picks one from the activity change (1.5–3 s; the named
    /// scenarios draw sit-to-stand and stand-to-sit ones per seed, 1.5–4 s).
    public var transition: Double?

    /// A segment of `kind`; angles, fidget and weight-shift rates default to the kind's nominal values.
    public init(
        _ kind: PostureKind, duration: Double, pelvicTilt: Double? = nil, pelvicObliquity: Double? = nil,
        lumbarFlexion: Double? = nil, fidgetsPerMinute: Double? = nil, weightShiftsPerMinute: Double? = nil,
        scriptedMoves: [ScriptedMove] = [], turn: Double = 0, transition: Double? = nil
    ) {
        let nominal = kind.nominalAngles
        self.kind = kind
        self.duration = duration
        self.pelvicTilt = pelvicTilt ?? nominal.pelvicTilt
        self.pelvicObliquity = pelvicObliquity ?? nominal.pelvicObliquity
        self.lumbarFlexion = lumbarFlexion ?? nominal.lumbarFlexion
        self.fidgetsPerMinute = fidgetsPerMinute ?? kind.nominalFidgetsPerMinute
        self.weightShiftsPerMinute = weightShiftsPerMinute ?? kind.nominalWeightShiftsPerMinute
        self.scriptedMoves = scriptedMoves
        self.turn = turn
        self.transition = transition
    }

    public var activity: Activity { kind.activity }
}

