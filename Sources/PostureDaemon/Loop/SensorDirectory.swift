import Synchronization

/// What each sensor was last found to be: at start-up, and again each time the loop reopens
/// and re-detects it (a chip found after start, a replugged adapter, another board at the
/// address). Written by the loop thread only on that recovery path, which already opens files
/// and allocates; read by the supervisor when a recovery is reported and for `status`. The
/// per-sample path never touches it, so its lock is never taken there.
public final class SensorDirectory: Sendable {
    /// One sensor as found.
    public struct Entry: Sendable, Equatable {
        /// "sensor 0 (pelvis): MPU-6050 at 0x68 on /dev/i2c-1".
        public var description: String
        /// The configuration applied, or `nil` while the chip is not found.
        public var configurationSummary: String?
        public var identity: SensorIdentity
    }

    private let entries: Mutex<[Entry]>

    init(_ initial: [Entry]) { entries = Mutex(initial) }

    /// Sensor `index` as last found; `nil` for an index the loop does not have.
    public func entry(_ index: Int) -> Entry? {
        entries.withLock { index < $0.count ? $0[index] : nil }
    }

    /// Called by the loop after `source.open()` succeeded on a retry.
    func update(_ index: Int, from source: any SensorSource) {
        let entry = Entry(
            description: source.description, configurationSummary: source.configuration?.summary,
            identity: source.identity)
        entries.withLock { if index < $0.count { $0[index] = entry } }
    }
}
