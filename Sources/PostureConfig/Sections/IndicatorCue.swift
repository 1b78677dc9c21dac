/// What the indicators tell the wearer of the button (`[button]`), beside the nudges: a
/// pattern each, configurable in `[indicator.patterns]` under these keys. The defaults differ
/// by count and length of pulses, so each can be told by feel alone, and from the nudges
/// (two short for a slouch, three long to get up, one short for a gentle cue).
public enum IndicatorCue: String, Sendable, CaseIterable {
    /// The long press began a calibration: stand tall now. One long pulse.
    case standTall = "stand_tall"
    /// The standing pose is taken: sit upright now. Two long pulses.
    case sitUpright = "sit_upright"
    /// Calibrated. Three quick pulses.
    case calibrated
    /// The calibration failed (the reason is in the log); the previous one stays. A flutter.
    case calibrationFailed = "calibration_failed"
    /// Short press: snoozed. Long then short, winding down.
    case snoozed
    /// Short press while snoozed: nudges again. Short then long, winding up.
    case resumed
    /// Double press, and all is well: one medium pulse.
    case tracking
    /// Double press while snoozed: the snooze rhythm with one more short pulse.
    case trackingSnoozed = "tracking_snoozed"
    /// Double press while a sensor is lost or not yet delivering: three short, then one long.
    case trackingFault = "tracking_fault"

    /// Each default pattern, as a user would write it.
    public var defaultText: String {
        switch self {
        case .standTall: "1000on"
        case .sitUpright: "1000on,300off,1000on"
        case .calibrated: "100on,100off,100on,100off,100on"
        case .calibrationFailed: "80on,80off,80on,80off,80on,80off,80on,80off,80on,80off,80on"
        case .snoozed: "500on,200off,100on"
        case .resumed: "100on,200off,500on"
        case .tracking: "300on"
        case .trackingSnoozed: "500on,200off,100on,200off,100on"
        case .trackingFault: "100on,100off,100on,100off,100on,400off,1000on"
        }
    }

    /// The defaults, parsed once (each is checked by the configuration tests).
    public static let defaultPatterns: [IndicatorCue: IndicatorPattern] = {
        var patterns: [IndicatorCue: IndicatorPattern] = [:]
        for cue in allCases { patterns[cue] = try? IndicatorPattern(parsing: cue.defaultText) }
        return patterns
    }()
}
