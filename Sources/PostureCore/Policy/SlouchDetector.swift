/// Where the posture sits relative to the slouch thresholds.
enum SlouchZone: Sendable, Equatable {
    /// Both angles within `recoveryFraction` of their thresholds.
    case recovered
    /// Neither slouched nor recovered: the hysteresis band. Keeps whatever state there is.
    case band
    /// Pelvis tilted posteriorly past its threshold, or lumbar flexed past its threshold.
    case slouched

    /// Classifies one tick. Only **posterior** tilt and lumbar **flexion** count: leaning
    /// forward from the hips (anterior tilt, lumbar neutral) is recovered posture. The lumbar
    /// criterion applies only when both the angle and its reference exist (sensor 1 fitted).
    /// Non-finite angles land in the band, so bad data neither starts nor ends a slouch.
    init(angles: SegmentAngles, reference: SittingReference, configuration: PolicyConfiguration) {
        let pelvicThreshold = configuration.slouchPelvicTiltThreshold
        let lumbarThreshold = configuration.slouchLumbarFlexionThreshold
        let fraction = configuration.slouchRecoveryFraction
        // Positive = more posterior than upright sitting (pelvic_tilt is positive anterior).
        let posteriorTilt = reference.pelvicTilt - angles.pelvicTilt
        var excessFlexion: Double?
        if let flexion = angles.lumbarFlexion, let referenceFlexion = reference.lumbarFlexion {
            excessFlexion = flexion - referenceFlexion
        }
        if posteriorTilt > pelvicThreshold || (excessFlexion.map { $0 > lumbarThreshold } ?? false) {
            self = .slouched
        } else if posteriorTilt <= fraction * pelvicThreshold
            && (excessFlexion.map { $0 <= fraction * lumbarThreshold } ?? true)
        {
            self = .recovered
        } else {
            self = .band
        }
    }
}

/// Slouch detection over sitting ticks: threshold with hysteresis, a hold before a slouch is
/// confirmed, and a grace before a return to upright counts.
///
/// A candidate starts when the posture crosses a threshold. It is confirmed once `hold` seconds
/// have passed since then without a recovery of `grace` seconds, and only at a tick that is not
/// itself recovered (confirming a slouch the wearer is just leaving would nudge for nothing).
/// Brief returns (shorter than `grace`) count towards the hold: the hold is wall time since onset.
/// A candidate or confirmed slouch ends after `grace` seconds of continuous recovered posture.
struct SlouchDetector: Sendable {
    enum Phase: Sendable, Equatable {
        case upright
        case candidate(onset: Double)
        case confirmed(onset: Double)
    }

    private(set) var phase = Phase.upright
    /// When the posture entered the recovered zone, while it stays there during a slouch.
    private var recoveringSince: Double?

    var isConfirmed: Bool {
        if case .confirmed = phase { return true }
        return false
    }

    /// The wearer is back in recovered posture and the grace has not yet run out: the slouch
    /// still counts, but a cue now would come after the correction it asks for.
    var isRecovering: Bool { recoveringSince != nil }

    /// One sitting tick at time `t`. Returns the change, if the slouch was confirmed or ended.
    mutating func update(t: Double, zone: SlouchZone, configuration: PolicyConfiguration) -> SlouchChange? {
        switch phase {
        case .upright:
            guard zone == .slouched else { return nil }
            phase = .candidate(onset: t)
            recoveringSince = nil
        case .candidate(let onset), .confirmed(let onset):
            if zone == .recovered {
                if recoveringSince == nil { recoveringSince = t }
            } else {
                recoveringSince = nil
            }
            if let since = recoveringSince, t - since >= configuration.slouchRecoveryGrace {
                let wasConfirmed = isConfirmed
                reset()
                return wasConfirmed ? .ended(onset: onset, end: since) : nil
            }
        }
        if case .candidate(let onset) = phase, recoveringSince == nil, t - onset >= configuration.slouchHold {
            phase = .confirmed(onset: onset)
            return .started(onset: onset)
        }
        return nil
    }

    /// The wearer stopped sitting at `t`: any slouch, candidate or confirmed, is abandoned.
    mutating func abandon(t: Double) -> SlouchChange? {
        defer { reset() }
        if case .confirmed(let onset) = phase { return .ended(onset: onset, end: recoveringSince ?? t) }
        return nil
    }

    private mutating func reset() {
        phase = .upright
        recoveringSince = nil
    }
}
