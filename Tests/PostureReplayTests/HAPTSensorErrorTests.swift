import PostureCore
import PostureReplay
import XCTest

/// Issue 9's bad sensors on real people: the HAPT recordings replayed through a worse
/// sensor than the one that recorded them, at the datasheet limits of a cheap chip (MPU-6050:
/// ±3% accelerometer sensitivity; a gyroscope zero-rate offset of 15 °/s on every axis, within
/// its ±20 °/s). Neither is trimmed or declared anywhere: the engine learns |g| at the standing
/// pose and the offset at start-up and at rest. Each must still calibrate every recording
/// and keep the agreement guard `HAPTAgreementTests` keeps on the recorded sensor.
final class HAPTSensorErrorTests: XCTestCase {
    static let accelerometerScale = 1.03
    static let gyroscopeOffset = 15.0 * .pi / 180

    func testAnAccelerometerReading3PercentHigh() throws {
        try assertAgreement("accelerometer +3%") { sample in
            var s = sample
            s.accel = s.accel * Self.accelerometerScale
            return s
        }
    }

    func testAGyroscopeOffsetOf15DegreesPerSecond() throws {
        try assertAgreement("gyroscope +15 °/s") { sample in
            var s = sample
            s.gyro = s.gyro + Vector3(Self.gyroscopeOffset, -Self.gyroscopeOffset, Self.gyroscopeOffset)
            return s
        }
    }

    private func assertAgreement(
        _ what: String, _ error: @escaping (IMUSample) -> IMUSample, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let directory = try SuitePaths.requireHAPT()
        var total = HAPTEvaluation.Tally()
        var refused: [String] = []
        for recording in HAPTEvaluation.recordings(in: directory) {
            do {
                guard let result = try HAPTEvaluation.evaluate(
                    name: recording.name, imuPath: recording.imu, labelsPath: recording.labels, sensorError: error)
                else { continue }
                total.add(result.tally)
                print("[HAPT, \(what)] \(recording.name): " + Activity.allCases.map { "\($0.rawValue) \(percent(result.tally.agreement($0)))" }.joined(separator: ", "))
            } catch {
                refused.append("\(recording.name): \(error)")
            }
        }
        let table = Activity.allCases.map { "\($0.rawValue) \(percent(total.agreement($0)))" }.joined(separator: ", ")
        print("[HAPT, \(what)] overall \(percent(total.agreement())); \(table)")
        XCTAssertTrue(refused.isEmpty, "\(what): recordings that did not calibrate: \(refused.joined(separator: "; "))", file: file, line: line)
        XCTAssertGreaterThanOrEqual(
            total.agreement(), HAPTAgreementTests.minimumOverallAgreement,
            "\(what): HAPT overall agreement \(percent(total.agreement())): \(table)", file: file, line: line)
    }
}
