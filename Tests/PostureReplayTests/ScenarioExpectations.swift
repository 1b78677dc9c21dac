import PostureCore
import PostureSim
import XCTest

/// What the engine must do on each named scenario, whatever the seed or the sensors: the
/// checks of `ScenarioBehaviourTests` (one golden seed each) and `ScenarioDrawTests`
/// (many seeds and drawn sensors). `name` heads every failure message.
extension ScenarioRun {
    func checkBehaviour(file: StaticString = #filePath, line: UInt = #line) {
        checkNudges(file: file, line: line)
        checkActivity(file: file, line: line)
        checkAngles(file: file, line: line)
        switch scenario.name {
        case "slouch":
            XCTAssertNotNil(trace.summary.lumbarFlexion, "\(name) (two sensors): lumbar_flexion must be reported", file: file, line: line)
        case "walk":
            checkSteps(file: file, line: line)
        case "lean-forward":
            checkNeverSlouching(file: file, line: line)
            checkLeanReadsAnterior(file: file, line: line)
        case "fidget":
            checkNeverSlouching(file: file, line: line)
        case "one-sensor":
            checkLumbarIsNull(file: file, line: line)
        case "workday":
            checkNeverSlouching(in: .leanForward, file: file, line: line)
            checkNeverSlouching(in: .fidget, file: file, line: line)
            checkSteps(file: file, line: line)
            // The whole day (not `Scenario.truncated`): all nudges, and the longest bout.
            guard scenario.duration == 10_800 else { break }
            XCTAssertEqual(scenario.expectedNudges.count, 12, file: file, line: line)
            let longest = trace.summary.longestSittingBoutSeconds
            XCTAssertEqual(longest, 3040, accuracy: 10, "\(name): longest sitting bout (truth ≈ 3040 s, 3261–6301)", file: file, line: line)
        default:
            break
        }
    }

    /// Steps counted within ±10% of the truth.
    func checkSteps(file: StaticString = #filePath, line: UInt = #line) {
        let truthSteps = wearer.truth(at: scenario.duration).steps
        guard let steps = trace.summary.steps else {
            return XCTFail("\(name): the summary has no step count (truth \(truthSteps) steps)", file: file, line: line)
        }
        let error = Double(steps - truthSteps) / Double(truthSteps)
        print("[behaviour] \(name): \(steps) steps counted, truth \(truthSteps)")
        XCTAssertLessThanOrEqual(
            abs(error), 0.10, "\(name): \(steps) steps counted, truth \(truthSteps) (\(percent(error)) off; ±10% allowed)",
            file: file, line: line)
    }

    /// The lean itself is measured as anterior tilt relative to sitting upright, not posterior.
    func checkLeanReadsAnterior(file: StaticString = #filePath, line: UInt = #line) {
        let lean = ticks(where: { $0.posture == .leanForward })
        let meanTilt = lean.map(\.tick.angles.pelvicTilt).mean
        let truthTilt = lean.map(\.truth.pelvicTilt).mean
        XCTAssertEqual(meanTilt, truthTilt, accuracy: 3, "\(name): mean pelvic_tilt while leaning", file: file, line: line)
        XCTAssertGreaterThan(
            meanTilt, trace.calibration.sittingPelvicTilt + 10,
            "\(name): leaning from the hips must read as anterior of sitting upright", file: file, line: line)
    }

    func checkLumbarIsNull(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(scenario.sensorCount, 1, file: file, line: line)
        XCTAssertNil(trace.summary.lumbarFlexion, "\(name): summary lumbar_flexion must be null", file: file, line: line)
        XCTAssertTrue(
            trace.jsonLines.last?.contains("\"lumbar_flexion\":null") ?? false,
            "\(name): the summary line must say \"lumbar_flexion\":null: \(trace.jsonLines.last ?? "")", file: file, line: line)
        XCTAssertNil(trace.calibration.upperLumbar, "\(name): calibration must have no upper lumbar sensor", file: file, line: line)
        XCTAssertTrue(
            trace.ticks.allSatisfy { $0.angles.lumbarFlexion == nil }, "\(name): a tick reported lumbar flexion",
            file: file, line: line)
    }
}
