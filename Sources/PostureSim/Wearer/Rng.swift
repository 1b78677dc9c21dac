public import PostureCore

/// Deterministic randomness for the simulator: no Foundation, no system entropy.
///
/// Two uses:
/// - `SplitMix64` as an ordinary sequential generator, for building a timeline (fidget
///   times, gait parameters, mounting misalignment) from a seed;
/// - `NoiseKey`, a counter-based generator: the noise of one sample is a pure function of
///   `(seed, sensor, t)`, so `SimulatedWearer.sample(sensor:at:)` is random-access and the
///   register-level chips can ask for any time on their own clock.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, passes BigCrush, any seed is fine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
    @inlinable public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for a named sub-stream of `seed`, so independent parts of the model
    /// (each segment's fidgets, each sensor's bias...) do not shift when another changes.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x5851_F42D_4C95_7F2D)))
    }

    /// Uniform in [0, 1), 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// Standard normal (Box–Muller, one of the pair).
    public mutating func gaussian() -> Double {
        let u1 = 1.0 - uniform()  // (0, 1]: log is finite
        let u2 = uniform()
        return (-2.0 * Double.log(u1)).squareRoot() * Double.cos(2.0 * .pi * u2)
    }

    /// Exponentially distributed with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * Double.log(1.0 - uniform()) }

    /// A uniformly random unit vector.
    public mutating func unitVector() -> Vector3 {
        let z = uniform(-1...1)
        let phi = uniform(0...(2 * .pi))
        let r = (1 - z * z).squareRoot()
        return Vector3(r * Double.cos(phi), r * Double.sin(phi), z)
    }
}

/// Six independent standard normals for one sample, derived from `(seed, sensor, t)`.
struct SampleNoise {
    var accel: Vector3
    var gyro: Vector3

    init(seed: UInt64, sensor: Int, t: Double) {
        let key = SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(truncatingIfNeeded: sensor) &+ 0xA076_1D64_78BD_642F))
        var rng = SplitMix64(seed: key ^ SplitMix64.mix(t.bitPattern))
        let (a0, a1) = SampleNoise.pair(&rng)
        let (a2, g0) = SampleNoise.pair(&rng)
        let (g1, g2) = SampleNoise.pair(&rng)
        accel = Vector3(a0, a1, a2)
        gyro = Vector3(g0, g1, g2)
    }

    /// Both values of a Box–Muller pair.
    @inline(__always) private static func pair(_ rng: inout SplitMix64) -> (Double, Double) {
        let u1 = 1.0 - rng.uniform()
        let u2 = 2.0 * .pi * rng.uniform()
        let r = (-2.0 * Double.log(u1)).squareRoot()
        return (r * Double.cos(u2), r * Double.sin(u2))
    }
}
