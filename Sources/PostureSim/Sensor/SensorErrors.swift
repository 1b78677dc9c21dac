public import PostureCore
import PostureHardware

/// How one simulated sensor's errors are drawn from its family's tolerances.
public enum SensorErrorDraw: String, Sendable, CaseIterable, Codable {
    /// Every error uniform within ± its tolerance: all parts the datasheet allows are
    /// equally likely (wider than a normal population, on purpose: harder, never easier).
    case typical
    /// Every error at exactly ± its tolerance, each sign drawn from the seed: the worst
    /// part the datasheet allows, on every axis at once.
    case limit
}

/// Which chip a simulated wearer wears and how the driver sets it up.
public struct SensorSetup: Sendable, Equatable {
    public var family: SensorFamily
    public var draw: SensorErrorDraw
    /// Full scale, ± g; the default is `SensorConfiguration`'s `accel_range_g`.
    public var accelRangeG = 4.0
    /// Full scale, ± °/s; the default is `SensorConfiguration`'s `gyro_range_dps`.
    public var gyroRangeDPS = 500.0
    /// Digital low-pass cut-off, Hz; the default is `SensorConfiguration`'s `lowpass_hz`.
    public var lowPassHz = 20.0
    /// Output data rate, Hz: the noise bandwidth cannot exceed its Nyquist frequency.
    public var sampleRateHz = 100.0

    public init(family: SensorFamily, draw: SensorErrorDraw) {
        self.family = family
        self.draw = draw
    }

    /// Equivalent noise bandwidth of the low-pass, Hz: π/2 × cut-off (a first-order
    /// response; the chips' filters are steeper, so this errs on the noisy side), at most
    /// the Nyquist frequency.
    public var noiseBandwidthHz: Double { min(lowPassHz * .pi / 2, sampleRateHz / 2) }
}

/// The temperature of a sensor clipped onto the body at room temperature: an exponential
/// rise to skin-side temperature (°C) with time constant `timeConstant` (s) from t = 0.
public struct WarmUpProfile: Sendable, Equatable {
    public var start: Double
    public var skin: Double
    public var timeConstant: Double

    /// Room temperature when the sensor goes on, °C.
    static let startRange = 18.0...24.0
    /// A sensor under clothing against the sacrum settles a few degrees below core: °C.
    static let skinRange = 31.0...33.0
    /// Warm-up time constant, s: 95% of the rise (3τ) in 18–30 min.
    static let timeConstantRange = 360.0...600.0

    public func temperature(at t: Double) -> Double {
        skin - (skin - start) * Double.exp(-max(0, t) / timeConstant)
    }
}

/// One drawn sensor: its family's datasheet errors turned into a fixed transfer function.
///
///     a = quantise((I + S_a) a_true + o_a(T) + σ_a n)
///     ω = quantise((I + S_g) ω_true + o_g(T) + σ_g n)
///
/// with S the scale (diagonal) and cross-axis (off-diagonal) errors, o(T) the zero-g or
/// zero-rate offset at 25 °C plus its temperature coefficient times (T(t) − 25 °C), n a
/// standard normal per sample and axis, and quantisation to the LSB of the full-scale range
/// (saturating at the 16-bit limits). SI units: m/s² and rad/s.
public struct SensorErrors: Sendable, Equatable {
    public let family: SensorFamily
    public let draw: SensorErrorDraw
    /// I + S_a.
    public let accelMatrix: Matrix3
    /// Zero-g offset at 25 °C, m/s², and its change per °C.
    public let accelOffset: Vector3
    public let accelOffsetPerDegree: Vector3
    /// I + S_g.
    public let gyroMatrix: Matrix3
    /// Zero-rate offset at 25 °C, rad/s, and its change per °C.
    public let gyroOffset: Vector3
    public let gyroOffsetPerDegree: Vector3
    public let temperature: WarmUpProfile
    /// White noise per sample, 1σ, m/s² and rad/s.
    public let accelNoise: Double
    public let gyroNoise: Double
    /// One count, m/s² and rad/s.
    public let accelLSB: Double
    public let gyroLSB: Double

    /// The datasheets' reference temperature, °C.
    public static let referenceTemperature = 25.0
    /// Signed 16-bit outputs saturate here, counts.
    static let countRange = -32768.0...32767.0

    /// Draws one sensor of `setup.family` from `rng`.
    init(setup: SensorSetup, rng: inout SplitMix64) {
        let model = setup.family.errorModel
        let g = standardGravity
        func error(_ tolerance: Double) -> Double {
            setup.draw == .limit
                ? (rng.uniform() < 0.5 ? -tolerance : tolerance) : rng.uniform(-tolerance...tolerance)
        }
        func perAxis(_ tolerance: Vector3) -> Vector3 { Vector3(error(tolerance.x), error(tolerance.y), error(tolerance.z)) }
        func matrix(scale: Double, cross: Double) -> Matrix3 {
            Matrix3(
                Vector3(1 + error(scale), error(cross), error(cross)),
                Vector3(error(cross), 1 + error(scale), error(cross)),
                Vector3(error(cross), error(cross), 1 + error(scale)))
        }
        family = setup.family
        draw = setup.draw
        accelMatrix = matrix(scale: model.accelScale, cross: model.accelCrossAxis)
        accelOffset = perAxis(model.accelZeroG) * g
        accelOffsetPerDegree = perAxis(model.accelZeroGPerDegree) * g
        gyroMatrix = matrix(scale: model.gyroScale, cross: model.gyroCrossAxis)
        let zro = model.gyroZeroRate, drift = model.gyroZeroRatePerDegree
        gyroOffset = perAxis(Vector3(zro, zro, zro)).radians
        gyroOffsetPerDegree = perAxis(Vector3(drift, drift, drift)).radians
        // The limit draw also warms up the most, and fastest.
        temperature = setup.draw == .limit
            ? WarmUpProfile(
                start: WarmUpProfile.startRange.lowerBound, skin: WarmUpProfile.skinRange.upperBound,
                timeConstant: WarmUpProfile.timeConstantRange.lowerBound)
            : WarmUpProfile(
                start: rng.uniform(WarmUpProfile.startRange), skin: rng.uniform(WarmUpProfile.skinRange),
                timeConstant: rng.uniform(WarmUpProfile.timeConstantRange))
        let bandwidth = setup.noiseBandwidthHz.squareRoot()
        accelNoise = model.accelNoiseDensity * g * bandwidth
        gyroNoise = (model.gyroNoiseDensity * bandwidth).radians
        let chip = ChipDescriptor.all.first { $0.family == setup.family.chip }
        accelLSB = g / SensorErrors.countsPerUnit(chip?.accelRanges, fullScale: setup.accelRangeG)
        gyroLSB = (1 / SensorErrors.countsPerUnit(chip?.gyroRanges, fullScale: setup.gyroRangeDPS)).radians
    }

    /// Counts per g (or °/s) of the driver's range nearest to `fullScale`; without a
    /// descriptor, a 16-bit converter spanning ± `fullScale`.
    static func countsPerUnit(_ ranges: [RangeOption]?, fullScale: Double) -> Double {
        let nearest = ranges?.min { abs($0.fullScale - fullScale) < abs($1.fullScale - fullScale) }
        return nearest?.countsPerUnit ?? 32768 / max(fullScale, 1)
    }

    /// The zero-g offset at time `t`, m/s² (follows the warm-up).
    public func accelOffset(at t: Double) -> Vector3 {
        accelOffset + accelOffsetPerDegree * (temperature.temperature(at: t) - SensorErrors.referenceTemperature)
    }

    /// The zero-rate offset at time `t`, rad/s (follows the warm-up).
    public func gyroOffset(at t: Double) -> Vector3 {
        gyroOffset + gyroOffsetPerDegree * (temperature.temperature(at: t) - SensorErrors.referenceTemperature)
    }

    /// What the sensor outputs for the true specific force and rate at `t`, given a standard
    /// normal `noise` sample per axis (`SampleNoise`).
    func measure(accel: Vector3, gyro: Vector3, t: Double, accelNoise n: Vector3, gyroNoise m: Vector3)
        -> (accel: Vector3, gyro: Vector3)
    {
        let a = accelMatrix * accel + accelOffset(at: t) + accelNoise * n
        let w = gyroMatrix * gyro + gyroOffset(at: t) + gyroNoise * m
        return (SensorErrors.quantise(a, lsb: accelLSB), SensorErrors.quantise(w, lsb: gyroLSB))
    }

    /// Rounds each axis to a whole number of counts, saturating at the 16-bit limits.
    static func quantise(_ v: Vector3, lsb: Double) -> Vector3 {
        func counts(_ x: Double) -> Double { min(max((x / lsb).rounded(), countRange.lowerBound), countRange.upperBound) }
        return Vector3(counts(v.x), counts(v.y), counts(v.z)) * lsb
    }
}

extension Vector3 {
    /// Each component from degrees to radians.
    var radians: Vector3 { Vector3(x.radians, y.radians, z.radians) }
}
