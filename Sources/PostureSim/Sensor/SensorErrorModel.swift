public import PostureCore
import PostureHardware

/// The chip families the simulator can imitate, one datasheet error model each.
public enum SensorFamily: String, Sendable, CaseIterable, Codable {
    /// InvenSense MPU-6050 (the MPU-6500 and MPU-9250 share its figures closely enough).
    case mpu6050
    /// TDK InvenSense ICM-20948.
    case icm20948
    /// ST LSM6DS3 (also LSM6DS3TR-C, LSM6DSO, LSM6DSOX: same or better figures).
    case lsm6ds3
    /// Bosch BMI160.
    case bmi160

    /// The error model from the family's datasheet.
    public var errorModel: SensorErrorModel {
        switch self {
        case .mpu6050: return .mpu6050
        case .icm20948: return .icm20948
        case .lsm6ds3: return .lsm6ds3
        case .bmi160: return .bmi160
        }
    }

    /// The chip whose full-scale ranges (and so LSB sizes) the drivers use for this family.
    var chip: ChipFamily {
        switch self {
        case .mpu6050: return .mpu6050
        case .icm20948: return .icm20948
        case .lsm6ds3: return .lsm6ds3
        case .bmi160: return .bmi160
        }
    }
}

/// One chip family's datasheet error budget: every tolerance is a ± limit around the ideal
/// (the datasheet's "typical" spread where no min/max is given), per axis.
///
/// Units: accelerometer in g (1 g = 9.80665 m/s², the datasheets' unit), gyroscope in °/s,
/// temperatures in °C, scale and cross-axis errors as fractions (0.03 = 3%).
/// What the simulator does with them is in `SensorErrors`.
public struct SensorErrorModel: Sendable, Equatable {
    /// Accelerometer zero-g offset tolerance per axis (x, y, z), g.
    public var accelZeroG: Vector3
    /// Accelerometer zero-g change per °C away from 25 °C, per axis, g/°C.
    public var accelZeroGPerDegree: Vector3
    /// Accelerometer sensitivity (scale) tolerance, fraction, each axis.
    public var accelScale: Double
    /// Accelerometer cross-axis sensitivity, fraction, each off-diagonal term.
    public var accelCrossAxis: Double
    /// Accelerometer noise density, g/√Hz.
    public var accelNoiseDensity: Double
    /// Gyroscope zero-rate offset (ZRO) tolerance at 25 °C, each axis, °/s.
    public var gyroZeroRate: Double
    /// Gyroscope ZRO change per °C away from 25 °C, each axis, (°/s)/°C.
    public var gyroZeroRatePerDegree: Double
    /// Gyroscope sensitivity (scale) tolerance, fraction, each axis.
    public var gyroScale: Double
    /// Gyroscope cross-axis sensitivity, fraction, each off-diagonal term.
    public var gyroCrossAxis: Double
    /// Gyroscope rate noise density, (°/s)/√Hz.
    public var gyroNoiseDensity: Double

    /// MPU-6000/MPU-6050 Product Specification PS-MPU-6000A-00 rev 3.4, §6.1 (gyroscope)
    /// and §6.2 (accelerometer), T = 25 °C:
    /// - zero-g output, initial calibration tolerance: ±50 mg X/Y, ±80 mg Z;
    /// - zero-g level change vs temperature, 0…70 °C: ±35 mg X/Y, ±60 mg Z → spread over
    ///   the 70 °C span: 0.5 mg/°C X/Y, 0.86 mg/°C Z;
    /// - accelerometer initial calibration tolerance ±3%, cross-axis sensitivity ±2%;
    /// - accelerometer power spectral density 400 µg/√Hz;
    /// - gyroscope sensitivity scale factor tolerance ±3%, cross-axis sensitivity ±2%;
    /// - initial ZRO tolerance ±20 °/s; ZRO variation over −40…85 °C ±20 °/s → spread over
    ///   the 125 °C span: 0.16 (°/s)/°C;
    /// - rate noise spectral density 0.005 (°/s)/√Hz.
    public static let mpu6050 = SensorErrorModel(
        accelZeroG: Vector3(0.050, 0.050, 0.080), accelZeroGPerDegree: Vector3(0.035 / 70, 0.035 / 70, 0.060 / 70),
        accelScale: 0.03, accelCrossAxis: 0.02, accelNoiseDensity: 400e-6,
        gyroZeroRate: 20, gyroZeroRatePerDegree: 20.0 / 125, gyroScale: 0.03, gyroCrossAxis: 0.02,
        gyroNoiseDensity: 0.005)

    /// ICM-20948 datasheet DS-000189 rev 1.3, Table 1 (gyroscope) and Table 2
    /// (accelerometer), T = 25 °C:
    /// - zero-g initial tolerance, board level, all axes: ±50 mg (±25 mg component level;
    ///   a sensor on a wearable's board sees the board-level figure);
    /// - zero-g level change vs temperature, 0…85 °C: ±0.80 mg/°C;
    /// - accelerometer sensitivity initial tolerance, component level ±0.5%, cross-axis ±2%;
    /// - accelerometer noise spectral density 230 µg/√Hz;
    /// - gyroscope sensitivity scale factor initial tolerance ±1.5%, cross-axis ±2%;
    /// - initial ZRO tolerance ±5 °/s; ZRO variation over temperature ±0.05 (°/s)/°C;
    /// - rate noise spectral density 0.015 (°/s)/√Hz.
    public static let icm20948 = SensorErrorModel(
        accelZeroG: Vector3(0.050, 0.050, 0.050), accelZeroGPerDegree: Vector3(0.80e-3, 0.80e-3, 0.80e-3),
        accelScale: 0.005, accelCrossAxis: 0.02, accelNoiseDensity: 230e-6,
        gyroZeroRate: 5, gyroZeroRatePerDegree: 0.05, gyroScale: 0.015, gyroCrossAxis: 0.02,
        gyroNoiseDensity: 0.015)

    /// LSM6DS3 datasheet DocID026899 rev 8, Table 3 "Mechanical characteristics":
    /// - linear acceleration zero-g level offset accuracy (LA_TyOff) ±40 mg;
    /// - zero-g level change vs temperature (LA_OffDr) ±0.5 mg/°C;
    /// - acceleration noise density (An), high-performance mode: 90 µg/√Hz;
    /// - angular rate zero-rate level (G_TyOff) ±10 °/s; its change vs temperature
    ///   (G_OffDr) ±0.05 (°/s)/°C;
    /// - rate noise density (Rn), high-performance mode: 7 m°/s/√Hz.
    /// The sheet gives no sensitivity tolerance and no cross-axis figure; ±1% each is taken
    /// from ST's later LSM6DSO/DSOX sheets (DS12140) where sensitivity is trimmed the same way.
    /// An assumption, named here so it can be replaced if a better figure turns up.
    public static let lsm6ds3 = SensorErrorModel(
        accelZeroG: Vector3(0.040, 0.040, 0.040), accelZeroGPerDegree: Vector3(0.5e-3, 0.5e-3, 0.5e-3),
        accelScale: 0.01, accelCrossAxis: 0.01, accelNoiseDensity: 90e-6,
        gyroZeroRate: 10, gyroZeroRatePerDegree: 0.05, gyroScale: 0.01, gyroCrossAxis: 0.01,
        gyroNoiseDensity: 7e-3)

    /// BMI160 datasheet BST-BMI160-DS000-07 rev 0.8, Table 1 "Electrical characteristics":
    /// - accelerometer zero-g offset (Off_Acc) ±40 mg; its temperature drift (TCO) ±1 mg/K;
    /// - accelerometer sensitivity tolerance ±1%, cross-axis sensitivity ±1%;
    /// - accelerometer output noise density 180 µg/√Hz;
    /// - gyroscope zero-rate offset ±3 °/s (after fast offset compensation, so the figure is
    ///   the residual a driver that runs FOC sees); its temperature drift (TCO) ±0.05 (°/s)/K;
    /// - gyroscope sensitivity tolerance ±1%, cross-axis sensitivity ±1%;
    /// - gyroscope output noise density 0.007 (°/s)/√Hz.
    /// Bosch's community moderators state that typical figures are 1σ of the population;
    /// the simulator still treats them as ± limits (see `SensorErrorDraw`).
    public static let bmi160 = SensorErrorModel(
        accelZeroG: Vector3(0.040, 0.040, 0.040), accelZeroGPerDegree: Vector3(1e-3, 1e-3, 1e-3),
        accelScale: 0.01, accelCrossAxis: 0.01, accelNoiseDensity: 180e-6,
        gyroZeroRate: 3, gyroZeroRatePerDegree: 0.05, gyroScale: 0.01, gyroCrossAxis: 0.01,
        gyroNoiseDensity: 0.007)
}
