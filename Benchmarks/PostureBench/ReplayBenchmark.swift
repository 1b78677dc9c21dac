import Foundation
import PostureCore
import PostureReplay
import PostureSim

/// The issue's target: replaying a two-hour two-sensor recording at 100 Hz (1.44 M rows,
/// ~100 MB of CSV) end to end, parsing included, in under 2 s. Baseline in the same run:
/// parsing alone (the floor any replay pays).
func runReplayBenchmark() throws {
    let hours = 2.0
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("postured-bench-workday-2h.csv").path
    if !FileManager.default.fileExists(atPath: path) {
        guard let scenario = Scenario.named("workday", seed: 7) else { return }
        try SimulatedRecording.write(
            scenario.makeWearer(), rate: 100, duration: hours * 3600, to: path, source: "benchmark, workday seed 7")
    }
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let clock = ContinuousClock()

    var rows = 0
    var bestParse = Duration.seconds(1_000)
    var bestReplay = Duration.seconds(1_000)
    var summary: DaySummary?
    for _ in 0..<3 {
        let parse = try clock.measure {
            let reader = try IMUCSVReader(path: path)
            rows = 0
            while try reader.next() != nil { rows += 1 }
        }
        bestParse = min(bestParse, parse)
        let replayTime = try clock.measure {
            let replay = Replay(inputPath: path, stand: TimeWindow(start: 1, end: 11), sit: TimeWindow(start: 15, end: 25))
            let calibration = try replay.calibrate()
            summary = try replay.run(calibration: calibration) { _ in }
        }
        bestReplay = min(bestReplay, replayTime)
    }
    let parseSeconds = Double(bestParse.components.seconds) + Double(bestParse.components.attoseconds) * 1e-18
    let replaySeconds = Double(bestReplay.components.seconds) + Double(bestReplay.components.attoseconds) * 1e-18
    print("replay: \(rows) rows, \(bytes / 1_000_000) MB of CSV (\(hours) h, two sensors, 100 Hz), best of 3")
    print(String(format: "  parse only (baseline):  %.3f s  (%.0f MB/s)", parseSeconds, Double(bytes) / 1e6 / parseSeconds))
    print(String(format: "  replay end to end:      %.3f s  (%.0f ns per row; target < 2 s)", replaySeconds, replaySeconds / Double(rows) * 1e9))
    print(String(format: "  replay / parse ratio:   %.2f", replaySeconds / parseSeconds))
    if let summary { print("  summary: " + ReplayOutput.summaryJSON(summary)) }
}

/// Orientation accuracy on the BROAD trials: `posturectl fuse`'s filter scored as the
/// benchmark scores it. Target: mean ≤ 0.68° (VQF on these ten trials).
func runBroadAccuracy(directory: String) throws {
    let trials = BroadEvaluation.trials(in: directory)
    guard !trials.isEmpty else {
        print("broad: no trials in \(directory); skipped")
        return
    }
    var sum = 0.0
    print("broad: inclination error, RMS over scored samples")
    for trial in trials {
        let result = try BroadEvaluation.evaluate(name: trial.name, imuPath: trial.imu, truthPath: trial.truth)
        sum += result.inclinationErrorDegrees
        print(String(format: "  %-45@ %.3f°", trial.name as NSString, result.inclinationErrorDegrees))
    }
    print(String(format: "  mean over %d trials: %.3f° (VQF 0.68°, Madgwick ≈ 2.0°)", trials.count, sum / Double(trials.count)))
}

/// Issue 9's table: activity agreement per class on real people (HAPT), scored as its README says.
func runHAPTAgreement(directory: String) throws {
    let recordings = HAPTEvaluation.recordings(in: directory)
    guard !recordings.isEmpty else {
        print("hapt: no recordings in \(directory); skipped")
        return
    }
    var total = HAPTEvaluation.Tally()
    var calibrated = 0, withWindows = 0
    print("hapt: activity agreement with the video labels (3 s after each segment's start to its end)")
    for recording in recordings {
        do {
            guard let result = try HAPTEvaluation.evaluate(name: recording.name, imuPath: recording.imu, labelsPath: recording.labels)
            else {
                print("  \(recording.name): no labelled standing and sitting segments to calibrate from; not scored")
                continue
            }
            withWindows += 1
            calibrated += 1
            total.add(result.tally)
            let row = Activity.allCases.compactMap { a in
                result.tally.scored[a].map { _ in String(format: "%@ %.1f%%", a.rawValue, 100 * result.tally.agreement(a)) }
            }
            print("  \(recording.name): \(row.joined(separator: ", "))")
        } catch {
            withWindows += 1
            print("  \(recording.name): did not calibrate: \(error)")
        }
    }
    for a in Activity.allCases {
        print(String(format: "  %-9@ %5.1f%% of %d samples (target ≥ 95%%)", a.rawValue as NSString, 100 * total.agreement(a), total.scored[a] ?? 0))
    }
    print(String(format: "  overall   %5.1f%% (target ≥ 97%%); %d of %d recordings calibrate", 100 * total.agreement(), calibrated, withWindows))
}
