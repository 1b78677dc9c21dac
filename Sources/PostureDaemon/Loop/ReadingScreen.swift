import PostureCore
import PostureHardware

/// Keeps readings no body produced from the engine, per sensor, in the per-sample path
/// (arithmetic on the reading only: no allocation).
///
/// - A **clipped** axis, at the chip's full scale: the true value lies beyond it and is
///   unknown (a knock on the sensor, a cracked MEMS element, a chip stuck at a rail). Fed to
///   the filter, a gyro clipped at 500 °/s turns the estimate by 5° a sample for nothing.
/// - A **gyro spike**: a change of angular rate between two samples that would take an
///   angular acceleration no trunk reaches (electrical noise, a bit error on a long cable).
///
/// Rejected readings are counted (`SensorStatus.rejectedSamples`) and leave the tick without
/// a sample, so the minute's data quality shows them as missing. A sensor clipped without a
/// break for `stuckSeconds` is faulted `stuckAtFullScale`: the log gets a fault and a gap,
/// and no step, so no nudge, comes from it until a reading is back inside the range.
struct ReadingScreen {
    /// The lower back's angular acceleration peaks near 50 rad/s² in falls and sport (trunk
    /// kinematics); tenfold that leaves room for the chip's noise at its low-pass cut-off and
    /// for knocks that are real but not posture. Between two 100 Hz samples: 5 rad/s (290 °/s).
    static let maximumAngularAcceleration = 500.0
    /// A knock clips for milliseconds; clipped this long without a break is a stuck chip.
    static let stuckSeconds = 1.0
    /// A run of this many "spikes" in a row is the motion itself (or a step after a gap the
    /// screen did not see): the screen takes it as the new reference rather than reject for ever.
    static let longestSpikeRun = 3
    /// Within half a count of full scale: the chip's two's-complement rail (32767 or −32768).
    static let railCounts = 32_766.5

    enum Verdict: Equatable { case plausible, clipped, spike }

    private var accelLimit = Double.infinity
    private var gyroLimit = Double.infinity
    private var lastGyro = Vector3.zero
    private var lastTime = -Double.infinity
    private var spikeRun = 0
    /// Engine time of the first clipped reading of the current run.
    private(set) var clippedSince: Double?

    /// The full scales of what the driver configured (nil: none known, no clipping check).
    mutating func configure(_ configuration: IMUConfiguration?) {
        accelLimit = configuration.map { $0.accelScale * Self.railCounts } ?? .infinity
        gyroLimit = configuration.map { $0.gyroScale * Self.railCounts } ?? .infinity
        lastTime = -.infinity
        spikeRun = 0
    }

    /// After a fault or a gap: nothing to compare the next reading with. A run of clipped
    /// readings is not ended by a fault (a chip stuck at its rails also reads as frozen data,
    /// and is reset for it): only a reading inside the range ends it.
    mutating func forget() {
        lastTime = -.infinity
        spikeRun = 0
    }

    mutating func screen(_ reading: IMUReading, t: Double) -> Verdict {
        if Self.isClipped(reading.accel, accelLimit) || Self.isClipped(reading.gyro, gyroLimit) {
            if clippedSince == nil { clippedSince = t }
            return .clipped
        }
        clippedSince = nil
        let dt = t - lastTime
        // Only neighbours are compared: after a gap of more than two periods' worth, anything goes.
        if dt > 0, dt < 0.05, spikeRun < Self.longestSpikeRun,
           (reading.gyro - lastGyro).norm > Self.maximumAngularAcceleration * dt {
            spikeRun += 1
            return .spike
        }
        spikeRun = 0
        lastGyro = reading.gyro
        lastTime = t
        return .plausible
    }

    /// Clipped without a break for `stuckSeconds` by `t`.
    func isStuck(at t: Double) -> Bool { clippedSince.map { t - $0 >= Self.stuckSeconds } ?? false }

    private static func isClipped(_ v: Vector3, _ limit: Double) -> Bool {
        abs(v.x) >= limit || abs(v.y) >= limit || abs(v.z) >= limit
    }
}
