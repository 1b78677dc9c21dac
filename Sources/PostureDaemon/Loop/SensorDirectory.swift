import Synchronization

/// What each sensor was last found to be: the start-up result, replaced each time the loop
/// reopens and re-detects it (a chip found after start, a replugged adapter, another board at
/// the address). Written by the loop thread only on that recovery path, which already opens
/// files and allocates; read by the supervisor when a recovery is reported and for `status`.
/// The per-sample path never touches it, so its lock is never taken there.
public final class SensorDirectory: Sendable {
    private let entries: Mutex<[SamplingLoop.SensorStartup]>

    init(_ startup: [SamplingLoop.SensorStartup]) { entries = Mutex(startup) }

    /// Sensor `index` as last found; `nil` for an index the loop does not have.
    public func entry(_ index: Int) -> SamplingLoop.SensorStartup? {
        entries.withLock { index < $0.count ? $0[index] : nil }
    }

    /// Called by the loop after `source.open()` succeeded on a retry.
    func update(_ index: Int, from source: any SensorSource) {
        let found = SamplingLoop.SensorStartup(
            index: index, description: source.description, configurationSummary: source.configuration?.summary,
            error: nil, identity: source.identity)
        entries.withLock { if index < $0.count { $0[index] = found } }
    }
}
