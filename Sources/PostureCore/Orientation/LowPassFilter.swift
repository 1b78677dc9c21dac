/// Coefficients of a second-order Butterworth low-pass filter, derived from a time
/// constant and the sample period (never fixed per-sample constants), so the same
/// filter behaves the same at 25 Hz and at 1 kHz.
struct ButterworthCoefficients: Sendable, Equatable {
    var b0 = 0.0
    var a1 = 0.0
    var a2 = 0.0
    // b1 = 2 b0 and b2 = b0 for a Butterworth low-pass: not stored.

    /// - Parameters:
    ///   - tau: time constant in seconds; the cutoff is `fc = √2 / (2π tau)`, which makes
    ///     the non-oscillating part of the step response decay with `tau` (as in VQF).
    ///   - dt: sample period in seconds.
    init(tau: Double, dt: Double) {
        let fc = 2.0.squareRoot() / (2 * Double.pi * max(tau, Self.minTau))
        // Bilinear transform with frequency pre-warping. Clamp below Nyquist so a
        // huge dt (or a tiny tau) still yields a stable filter.
        let c = Double.tan(Double.pi * min(fc * dt, Self.maxNormalizedCutoff))
        let d = c * c + 2.0.squareRoot() * c + 1
        b0 = c * c / d
        a1 = 2 * (c * c - 1) / d
        a2 = (1 - 2.0.squareRoot() * c + c * c) / d
    }

    init() {}

    /// Smallest time constant honoured, s (a zero or negative one means "no filtering").
    static let minTau = 1e-9
    /// Highest cutoff as a fraction of the sample rate; just below Nyquist (0.5).
    static let maxNormalizedCutoff = 0.45
}

/// A second-order Butterworth low-pass filter over the three channels of a `Vector3`.
///
/// Warm-up (as in VQF): a single first sample would fix the initial output, so for the
/// first `tau` seconds the output is the plain mean of the samples seen; the filter
/// then starts from that mean in its steady state.
struct LowPassFilter3: Sendable {
    private var s0 = Vector3.zero
    private var s1 = Vector3.zero
    private var sum = Vector3.zero
    private var count = 0.0
    private var elapsed = 0.0
    private(set) var isWarm = false
    private(set) var output = Vector3.zero

    init() {}

    /// Filters one sample taken `dt` seconds after the previous one (`dt` is ignored
    /// for the very first sample).
    @inline(__always)
    mutating func step(_ x: Vector3, dt: Double, tau: Double, _ c: ButterworthCoefficients) -> Vector3 {
        if isWarm {
            let y = c.b0 * x + s0
            s0 = (2 * c.b0) * x - c.a1 * y + s1
            s1 = c.b0 * x - c.a2 * y
            output = y
            return y
        }
        if count > 0 { elapsed += dt }
        count += 1
        sum += x
        output = sum / count
        if elapsed >= tau {
            // Steady state for a constant input `m` (scipy's lfilter_zi): y = x = m.
            s0 = output * (1 - c.b0)
            s1 = output * (c.b0 - c.a2)
            isWarm = true
        }
        return output
    }

    mutating func reset() { self = LowPassFilter3() }
}
