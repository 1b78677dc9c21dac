/// `[sampling]`: how often and how the daemon reads the sensors.
public struct SamplingConfiguration: Sendable, Equatable {
    /// What wakes the sampling loop.
    public enum Pacing: String, Sendable, CaseIterable {
        /// An absolute-deadline timer (`clock_nanosleep`); needs no wiring.
        case timer
        /// Each sensor's data-ready interrupt on a GPIO line (`sensor.data_ready` required).
        case dataReady = "data-ready"
        /// The chips buffer samples in their FIFOs; the loop reads them in batches (fewer wake-ups).
        case fifo
    }

    public static let rateRange = 25...1000
    public static let realtimePriorityRange = 0...99

    /// Output data rate of every sensor, Hz.
    public var rateHz: Int
    /// Default `.fifo`: the chips buffer samples and the loop wakes ten times a second
    /// instead of a hundred, about half the CPU of `.timer` (`PostureBench daemon` prints
    /// both), proven through bus outages, resets and replugs on the virtual board.
    public var pacing: Pacing
    /// 0 = normal scheduling; 1…99 = `SCHED_FIFO` at that priority (needs `CAP_SYS_NICE`).
    public var realtimePriority: Int
    /// `mlockall` at start-up so a page fault never delays a sample (needs `CAP_IPC_LOCK`).
    public var lockMemory: Bool

    public init(rateHz: Int = 100, pacing: Pacing = .fifo, realtimePriority: Int = 0, lockMemory: Bool = false) {
        self.rateHz = rateHz
        self.pacing = pacing
        self.realtimePriority = realtimePriority
        self.lockMemory = lockMemory
    }
}

extension SamplingConfiguration {
    init(reading reader: inout SectionReader) {
        let defaults = SamplingConfiguration()
        self.init(
            rateHz: reader.read("rate_hz", .integer(in: Self.rateRange), default: defaults.rateHz),
            pacing: reader.read("pacing", .choice, default: defaults.pacing),
            realtimePriority: reader.read(
                "realtime_priority", .integer(in: Self.realtimePriorityRange), default: defaults.realtimePriority),
            lockMemory: reader.read("lock_memory", .boolean, default: defaults.lockMemory))
    }
}
