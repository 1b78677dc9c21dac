import PostureCore

// Cost of `OrientationFilter.update` against a plain Mahony filter (the baseline), on the
// same synthetic but realistic stream: a sensor turning about all axes (periodic with the
// replayed buffer, up to ~2 rad/s), gravity plus small linear accelerations, white noise and a constant
// gyroscope bias, at 285.714 Hz (the BROAD rate). The stream is generated once into a
// buffer that fits in cache and replayed with increasing timestamps, so only the filters
// are timed.

private struct BenchSample {
    var accel: Vector3
    var gyro: Vector3
}

/// Deterministic xorshift64* noise, so every run times the same data.
private struct NoiseSource {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func uniform() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53) * 2 - 1
    }
    mutating func vector(_ amplitude: Double) -> Vector3 { Vector3(uniform(), uniform(), uniform()) * amplitude }
}

private let benchRate = 285.714
private let benchBufferCount = 1 << 14  // 16384 samples, ~0.8 MB: stays in cache

/// Sensor-to-earth orientation of the synthetic wearer at time `t`: periodic with the buffer
/// length, so replaying the buffer in a loop is a continuous motion.
private func benchOrientation(_ t: Double, period: Double) -> Quaternion {
    let w = 2 * Double.pi / period
    let roll = 0.6 * Double.sin(3 * w * t) + 0.2 * Double.sin(17 * w * t)
    let pitch = 0.5 * Double.sin(5 * w * t + 1) + 0.1 * Double.sin(29 * w * t)
    let yaw = 2 * w * t + 0.3 * Double.sin(11 * w * t)
    return Quaternion(axis: Vector3(0, 0, 1), angle: yaw) * Quaternion(axis: Vector3(0, 1, 0), angle: pitch)
        * Quaternion(axis: Vector3(1, 0, 0), angle: roll)
}

private func makeBenchStream() -> [BenchSample] {
    var noise = NoiseSource()
    let dt = 1 / benchRate
    let period = Double(benchBufferCount) * dt
    let w = 2 * Double.pi / period
    let bias = Vector3(0.01, -0.015, 0.005)
    var out: [BenchSample] = []
    out.reserveCapacity(benchBufferCount)
    for i in 0..<benchBufferCount {
        let t = Double(i) * dt
        let q = benchOrientation(t, period: period)
        // Body-frame angular rate: the rotation from t - dt/2 to t + dt/2, over dt.
        let d = benchOrientation(t - 0.5 * dt, period: period).conjugate * benchOrientation(t + 0.5 * dt, period: period)
        let omega = d.vector * (2 * Double.atan2(d.vector.norm, d.w) / max(d.vector.norm, 1e-300) / dt)
        let linear = Vector3(0.8 * Double.sin(97 * w * t), 0.5 * Double.sin(61 * w * t), 0.3 * Double.sin(127 * w * t))
        let accel = q.inverseRotate(Vector3(0, 0, 9.81) + linear) + noise.vector(0.05)
        let gyro = omega + bias + noise.vector(0.005)
        out.append(BenchSample(accel: accel, gyro: gyro))
    }
    return out
}

/// Times `updates` calls of `body` over the stream; returns ns per update (best of `rounds`).
private func timeUpdates(
    _ stream: [BenchSample], updates: Int, rounds: Int, _ body: (Double, BenchSample) -> Void
) -> Double {
    // Time keeps increasing across rounds (a filter ignores non-increasing timestamps).
    var sampleNumber = 0
    let clock = ContinuousClock()
    let dt = 1 / benchRate
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = clock.now
        stream.withUnsafeBufferPointer { buffer in
            var index = 0
            for _ in 0..<updates {
                body(Double(sampleNumber) * dt, buffer[index])
                sampleNumber += 1
                index += 1
                if index == buffer.count { index = 0 }
            }
        }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9
        best = min(best, ns / Double(updates))
    }
    return best
}

/// Prints ns/update of `OrientationFilter` and of the Mahony baseline, and their ratio.
func runFilterBenchmark(updates: Int = 2_000_000, rounds: Int = 5) {
    let stream = makeBenchStream()
    var filter = OrientationFilter()
    var baseline = MahonyBaseline()
    // One warm-up pass each, untimed results discarded.
    _ = timeUpdates(stream, updates: benchBufferCount, rounds: 1) { t, s in
        filter.update(t: t, accel: s.accel, gyro: s.gyro)
        baseline.update(t: t, accel: s.accel, gyro: s.gyro)
    }
    filter.reset()
    baseline = MahonyBaseline()
    let filterNs = timeUpdates(stream, updates: updates, rounds: rounds) { t, s in
        filter.update(t: t, accel: s.accel, gyro: s.gyro)
    }
    let baselineNs = timeUpdates(stream, updates: updates, rounds: rounds) { t, s in
        baseline.update(t: t, accel: s.accel, gyro: s.gyro)
    }
    // Use the results so nothing is optimised away.
    let sink = filter.orientation.w + baseline.q.w
    print("filter benchmark: \(updates) updates, best of \(rounds) rounds, \(benchRate) Hz synthetic motion")
    print("  OrientationFilter  \(format(filterNs)) ns/update  (gyro bias estimate \(filter.gyroBias))")
    print("  Mahony baseline    \(format(baselineNs)) ns/update")
    print("  ratio              \(format(filterNs / baselineNs))x  [sink \(format(sink))]")
}

private func format(_ x: Double) -> String {
    let scaled = (x * 100).rounded() / 100
    return "\(scaled)"
}
