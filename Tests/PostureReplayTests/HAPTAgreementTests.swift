import PostureCore
import PostureReplay
import XCTest

/// The engine on real people (HAPT: ten people, a waist IMU, video labels), scored as the
/// data's README says. Guards the overall agreement at 90% (issue 9's target is 97%, every
/// class 95%; `PostureBench hapt` prints the table) and that every recording calibrates.
final class HAPTAgreementTests: XCTestCase {
    static let minimumOverallAgreement = 0.90

    func testActivityAgreesWithTheVideoLabels() throws {
        let directory = try SuitePaths.requireHAPT()
        var total = HAPTEvaluation.Tally()
        var refused: [String] = []
        var evaluated = 0
        for recording in HAPTEvaluation.recordings(in: directory) {
            do {
                guard let result = try HAPTEvaluation.evaluate(
                    name: recording.name, imuPath: recording.imu, labelsPath: recording.labels)
                else { continue }
                evaluated += 1
                total.add(result.tally)
                print("[HAPT] \(recording.name): " + Activity.allCases.map { "\($0.rawValue) \(percent(result.tally.agreement($0)))" }.joined(separator: ", "))
            } catch {
                refused.append("\(recording.name): \(error)")
            }
        }
        let overall = total.agreement()
        print("[HAPT] \(evaluated) recordings: overall \(percent(overall)); " + Activity.allCases.map { "\($0.rawValue) \(percent(total.agreement($0)))" }.joined(separator: ", "))
        XCTAssertGreaterThanOrEqual(evaluated, 20, "HAPT: only \(evaluated) recordings were scored")
        XCTAssertTrue(refused.isEmpty, "HAPT: recordings that did not calibrate with the README's windows: \(refused.joined(separator: "; "))")
        XCTAssertGreaterThanOrEqual(
            overall, Self.minimumOverallAgreement,
            "HAPT overall activity agreement \(percent(overall)) is below \(percent(Self.minimumOverallAgreement)): "
                + Activity.allCases.map { "\($0.rawValue) \(percent(total.agreement($0)))" }.joined(separator: ", "))
    }
}
