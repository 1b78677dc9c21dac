import Foundation
import PostureCore
import PostureReplay
import PostureSim

/// Row 5 (issue 13): replaying a `hours`-long two-sensor recording at 100 Hz end to end, parsing
/// included: for 24 h (17.28 M rows, 1.2 GB of CSV) under 10 s and within 1.5x of mawk summing one
/// column of the same file. Baselines in the same run: parsing alone (the floor any replay pays)
/// and mawk (`POSTURED_BENCH_REPLAY_HOURS`, default 2; the recording is kept in the temp dir).
func runReplayBenchmark(hours: Double = 2) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("postured-bench-workday-\(Int(hours))h.csv").path
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
    print(String(format: "  replay end to end:      %.3f s  (%.0f ns per row; target for 24 h: < 10 s)", replaySeconds, replaySeconds / Double(rows) * 1e9))
    print(String(format: "  replay / parse ratio:   %.2f", replaySeconds / parseSeconds))
    if let summary { print("  summary: " + ReplayOutput.summaryJSON(summary)) }
    if let awk = timeAwkColumnSum(path) {
        print(String(format: "  mawk summing one column of the same file (baseline): %.3f s; replay / mawk: %.2fx (target ≤ 1.5x)",
                     awk, replaySeconds / awk))
        recordRow("5 replay, \(Int(hours)) h two-sensor 100 Hz CSV (\(rows) rows, \(bytes / 1_000_000) MB), end to end", measured: String(format: "%.2f s", replaySeconds),
                  baseline: String(format: "mawk one-column sum %.2f s; parse only %.2f s", awk, parseSeconds), ratio: String(format: "%.2fx of mawk", replaySeconds / awk),
                  target: "24 h: < 10 s and ≤ 1.5x mawk", command: "POSTURED_BENCH_REPLAY_HOURS=\(Int(hours)) PostureBench replay")
    } else {
        print("  mawk baseline: skipped (no /usr/bin/mawk)")
    }
}

/// Best of three: `mawk -F, '{ s += $3 } END { print s }' FILE`, the least work a tool that reads
/// every row of the CSV can do.
func timeAwkColumnSum(_ path: String) -> Double? {
    let awk = "/usr/bin/mawk"
    guard FileManager.default.isExecutableFile(atPath: awk) else { return nil }
    var best = Double.infinity
    for _ in 0..<3 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: awk)
        process.arguments = ["-F,", "{ s += $3 } END { print s }", path]
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// Issue 9's table: activity agreement per class on real people (HAPT), scored as its README says.
@discardableResult
func runHAPTAgreement(directory: String) throws -> Double? {
    let recordings = HAPTEvaluation.recordings(in: directory)
    guard !recordings.isEmpty else {
        print("hapt: no recordings in \(directory); skipped")
        return nil
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
    let perClass = Activity.allCases.map { String(format: "%@ %.1f%%", $0.rawValue, 100 * total.agreement($0)) }.joined(separator: ", ")
    recordRow("2 activity on real people, HAPT (\(calibrated) of \(withWindows) recordings calibrate)", measured: String(format: "%.1f%% overall", 100 * total.agreement()),
              baseline: perClass, target: "≥ 97% overall, ≥ 95% a class (fails CI < 90%)", command: "PostureBench hapt")
    // A recording that does not calibrate counts as a failure of the whole, as in the test guard.
    return calibrated == withWindows ? total.agreement() : 0
}
