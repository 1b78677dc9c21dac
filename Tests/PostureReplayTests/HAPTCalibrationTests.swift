import Foundation
import PostureCore
import PostureReplay
import XCTest

/// Real people on the HAPT recordings (`../shared/data/hapt`, see its README): every
/// recording with a labelled standing and sitting segment must calibrate from the README's
/// windows, the middle 60% of the first of each, although several wearers shift within them.
final class HAPTCalibrationTests: XCTestCase {
    static let directory = SuitePaths.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/hapt").standardizedFileURL

    /// The README's calibration windows of one recording, `nil` without both labels.
    static func windows(labels path: String) throws -> CalibrationWindows? {
        var first: [String: TimeWindow] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count == 3, let a = Double(fields[0]), let b = Double(fields[1]) else {
                throw ReplayError("\(path): unreadable label row '\(line)'")
            }
            let activity = String(fields[2])
            guard activity == "standing" || activity == "sitting", first[activity] == nil else { continue }
            first[activity] = TimeWindow(start: a + 0.2 * (b - a), end: b - 0.2 * (b - a))
        }
        guard let stand = first["standing"], let sit = first["sitting"] else { return nil }
        return CalibrationWindows(stand: stand, sit: sit)
    }

    func testEveryRecordingCalibratesFromTheReadmeWindows() throws {
        let folder = Self.directory.path
        let labels = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".labels.csv") }.sorted()
        guard !labels.isEmpty else {
            throw XCTSkip("HAPT data not found at \(folder): the HAPT check needs ../shared/data/hapt next to the package")
        }
        var calibrated: [String] = []
        for file in labels {
            let name = String(file.dropLast(".labels.csv".count))
            guard let windows = try Self.windows(labels: "\(folder)/\(file)") else {
                print("[hapt] \(name): no labelled standing and sitting segment, no windows")
                continue
            }
            let replay = Replay(inputPath: "\(folder)/\(name).csv", stand: windows.stand, sit: windows.sit)
            do {
                let result = try replay.calibrateWithPoses()
                let pelvis = result.calibration.pelvis
                XCTAssertGreaterThanOrEqual(pelvis.standToSitDegrees, 3, name)
                XCTAssertLessThan(result.calibration.sittingPelvicTilt, -3, "\(name): sitting must come out posterior")
                for (pose, window) in [(result.standing, windows.stand), (result.sitting, windows.sit)] {
                    let stretch = try XCTUnwrap(pose.stillStretch, name)
                    XCTAssertGreaterThanOrEqual(stretch.duration, 2.9, "\(name) \(pose.pose): \(stretch)")
                    XCTAssertTrue(window.contains(stretch.start) && window.contains(stretch.end), "\(name): \(stretch)")
                    XCTAssertLessThanOrEqual(stretch.motion.share, 1, name)
                }
                print("[hapt] \(name): " + ReplayOutput.calibrationLines(result, replay: replay).joined(separator: "; "))
                calibrated.append(name)
            } catch {
                XCTFail("\(name) did not calibrate: \(error)")
            }
        }
        XCTAssertEqual(calibrated.count, 20, "the 20 HAPT recordings with standing and sitting labels: \(calibrated)")
    }
}
