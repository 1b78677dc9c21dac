/// A calibration window `A:B` in seconds of recording time, as `--stand` and `--sit` take it.
public struct TimeWindow: Sendable, Equatable, CustomStringConvertible {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// Parses `A:B` with finite `A < B`; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]),
            a.isFinite, b.isFinite, a < b
        else { return nil }
        self.init(start: a, end: b)
    }

    public func contains(_ t: Double) -> Bool { t >= start && t <= end }

    /// Whether the two windows share any time (touching ends do not count).
    public func overlaps(_ other: TimeWindow) -> Bool { start < other.end && other.start < end }

    public var description: String { "\(jsonNumber(start)):\(jsonNumber(end))" }
}
