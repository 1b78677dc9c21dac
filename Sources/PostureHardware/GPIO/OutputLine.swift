/// Something the nudge pattern player can switch on and off: a real GPIO line, an `Indicator`
/// (which adds active-low), or a recording fake in tests. `set` is called from the player's own
/// thread, hence `Sendable`.
public protocol OutputLine: AnyObject, Sendable {
    /// Drives the output: `true` = on.
    func set(_ on: Bool) throws
}
