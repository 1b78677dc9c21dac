/// When to retry a faulted sensor, from the monotonic clock (never by sleeping): every tick
/// for the first `eagerNanoseconds` (a glitch clears fast and the gap stays short), then
/// after `first`, doubling up to `cap` (a lost sensor costs a few bus transactions a second,
/// and the driver's error path, which allocates, runs rarely). The cap bounds how long a
/// sensor that came back waits to be read again: at most 1 s plus its reconfiguration,
/// inside the 2 s the wearer can notice (measured on the virtual board's replug).
struct RetryBackoff: Equatable {
    static let eagerNanoseconds: Int64 = 100_000_000
    static let firstNanoseconds: Int64 = 500_000_000
    static let capNanoseconds: Int64 = 1_000_000_000

    private(set) var faultStartNanoseconds: Int64 = 0
    private(set) var nextAttemptNanoseconds: Int64 = 0
    private var intervalNanoseconds: Int64 = 0

    /// A fault began at `now`: the next attempt is on the next tick.
    mutating func start(now: Int64) {
        faultStartNanoseconds = now
        nextAttemptNanoseconds = now &+ 1
        intervalNanoseconds = 0
    }

    func isDue(now: Int64) -> Bool { now >= nextAttemptNanoseconds }

    func age(now: Int64) -> Int64 { now &- faultStartNanoseconds }

    /// An attempt at `now` failed: schedule the next.
    mutating func failed(now: Int64) {
        if age(now: now) < Self.eagerNanoseconds {
            nextAttemptNanoseconds = now &+ 1
            return
        }
        intervalNanoseconds = intervalNanoseconds == 0
            ? Self.firstNanoseconds : min(intervalNanoseconds * 2, Self.capNanoseconds)
        nextAttemptNanoseconds = now &+ intervalNanoseconds
    }
}
