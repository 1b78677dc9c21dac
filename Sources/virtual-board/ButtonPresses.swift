/// Buttons on the bridge's GPIO inputs, pressed by `press LINE DOWN [GAP DOWN ...]`.
///
/// hid-cp2112 has no GPIO interrupts: the kernel reads the GPIO report (0x03) about every 10
/// jiffies and makes edges of the level changes it sees. A level no read ever showed is an
/// edge the daemon never gets: an emulator held up past a press's length (a burst of
/// simulation, a loaded host, a GET_REPORT queued behind other work) would lose the press,
/// and a release no read showed would merge two presses into one. So each step (a press or
/// the gap after it) lasts until its time has passed *and* at least one GPIO report has
/// shown it: a slow poll stretches a step, never drops it. A whole sequence (a double press)
/// is timed here on the emulator's clock, not by the sender's sleeps across a FIFO.
struct ButtonPresses {
    /// One level held on a line for at least `seconds`: high is pressed.
    private struct Step {
        var high: Bool
        var seconds: Double
    }

    private struct Line {
        var queue: [Step] = []
        var current: Step?
        var since = 0.0
        /// A GPIO report has shown `current` since it began.
        var reported = false

        var level: Bool { current?.high ?? false }
        var due: Double { since + (current?.seconds ?? 0) }
    }

    /// Lines with a sequence under way or queued; a line not here is released.
    private var lines: [Int: Line] = [:]

    /// The most durations one command may give (seven presses): a typo, not a script.
    static let maxDurations = 13

    /// The durations of `press LINE DOWN [GAP DOWN ...]` after the line: an odd count of
    /// finite, non-negative seconds, or nil.
    static func durations(_ words: ArraySlice<String>) -> [Double]? {
        let values = words.compactMap { Double($0) }.filter { $0.isFinite && $0 >= 0 }
        guard values.count == words.count, values.count % 2 == 1, values.count <= maxDurations else { return nil }
        return values
    }

    /// Queues presses on `line`: down, gap, down… then a release that, like every step, must be
    /// read once before the line's next sequence begins (two commands never merge either).
    mutating func press(_ line: Int, durations: [Double]) {
        var l = lines[line] ?? Line()
        for (i, seconds) in durations.enumerated() { l.queue.append(Step(high: i % 2 == 0, seconds: seconds)) }
        l.queue.append(Step(high: false, seconds: 0))
        lines[line] = l
    }

    /// A GPIO report was answered: it showed every line's current step.
    mutating func reported() {
        for line in lines.keys { lines[line]?.reported = true }
    }

    /// Starts the next step of every line whose step is over (its time passed and a report
    /// showed it); returns the lines whose level changed, in line order. At most one step per
    /// line per call: a new step must itself be reported before it can end.
    mutating func advance(now: Double) -> [(line: Int, high: Bool)] {
        var changes: [(line: Int, high: Bool)] = []
        for n in lines.keys.sorted() {
            guard var l = lines[n] else { continue }
            if l.current != nil, !(l.reported && now >= l.due) { continue }
            guard !l.queue.isEmpty else {
                lines[n] = nil  // the last step, a release, was read: the line is idle
                continue
            }
            let before = l.level
            l.current = l.queue.removeFirst()
            l.since = now
            l.reported = false
            if l.level != before { changes.append((n, l.level)) }
            lines[n] = l
        }
        return changes
    }

    /// When `advance` next has something to do, if a step waits only for time: now or earlier
    /// for a step already over or a sequence not begun. A step that still waits for a report
    /// has no deadline: the report arrives on /dev/uhid and wakes the board's poll.
    var nextDeadline: Double? {
        lines.values.compactMap { l in l.current == nil ? -Double.infinity : l.reported ? l.due : nil }.min()
    }

    var isIdle: Bool { lines.isEmpty }
}
