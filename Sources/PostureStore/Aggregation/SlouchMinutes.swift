/// Slouched time for the minute log, from the policy's slouch episodes: the one definition the
/// log's episodes, the report and the export share.
///
/// A slouch episode runs from its onset to the moment the wearer sat upright again (`slouch_start`
/// and `slouch_end` in the log): the hold before it is confirmed is the detector's delay, not the
/// wearer sitting well, and the grace before it ends is the wearer already upright. Counted tick
/// by tick from the policy's confirmed state instead, the minutes held 35 s of a slouch whose
/// episode in the log lasted 60 s.
///
/// The minutes are closed before an episode is known, so its time goes to the log as
/// slouch-only pieces of minutes, which `DayLog.append` merges into the minute they fall in
/// (times add up). An episode still open is counted up to `grace` before now as minutes close
/// (that much is certain: an end, when it comes, is at most `grace` in the past), the rest when it
/// ends, so a crash loses at most the unsettled part.
public struct SlouchMinutes: Sendable {
    /// Onset of the confirmed episode now open, and how far its time has gone out.
    public private(set) var open: (onset: Double, countedTo: Double)?

    public init() {}

    /// The policy confirmed a slouch that began at `onset`.
    public mutating func started(onset: Double) {
        open = (onset, onset)
    }

    /// The open episode ended at `end`: its time not yet given out.
    public mutating func ended(end: Double, gridOrigin: Double) -> [MinuteRecord] {
        guard let episode = open else { return [] }
        open = nil
        return Self.pieces(from: episode.countedTo, to: end, gridOrigin: gridOrigin)
    }

    /// The part of an open episode that is certain at `now` (up to `now − grace`).
    public mutating func settle(now: Double, grace: Double, gridOrigin: Double) -> [MinuteRecord] {
        guard let episode = open else { return [] }
        let certain = now - Swift.max(0, grace)
        guard certain > episode.countedTo else { return [] }
        open = (episode.onset, certain)
        return Self.pieces(from: episode.countedTo, to: certain, gridOrigin: gridOrigin)
    }

    /// `[from, to)` cut at the minute grid (`gridOrigin + k·60`), one slouch-only record each.
    static func pieces(from: Double, to: Double, gridOrigin: Double) -> [MinuteRecord] {
        guard from.isFinite, to.isFinite, to > from else { return [] }
        var pieces: [MinuteRecord] = []
        var start = from
        while start < to {
            let k = ((start - gridOrigin) / MinuteAggregator.minuteSeconds).rounded(.down) + 1
            let end = Swift.min(to, gridOrigin + k * MinuteAggregator.minuteSeconds)
            var data = MinuteData()
            data.slouchSeconds = end - start
            pieces.append(MinuteRecord(start: start, end: end, data: data))
            start = end
        }
        return pieces
    }
}
