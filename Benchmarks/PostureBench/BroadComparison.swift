import Foundation
import PostureCore
import PostureReplay

/// Rows 1 and 3 of BENCHMARKS.md (issue 13): orientation accuracy on the BROAD trials, ours
/// next to a plain Madgwick and a Mahony filter each at its best fixed gain (one gain for all
/// trials, chosen here on the same trials: the baselines' best case), and the cost of an update
/// of each on a real trial held in memory.
struct LoadedTrial {
    var name: String
    var t: [Double]
    var accel: [Vector3]
    var gyro: [Vector3]
    /// The truth at each sample, where it is scored (movement and tracking), else nil.
    var truth: [Quaternion?]

    static func load(name: String, imu: String, truth truthPath: String) throws -> LoadedTrial {
        let rows = try BroadEvaluation.readTruth(path: truthPath)
        let reader = try IMUCSVReader(path: imu)
        var trial = LoadedTrial(name: name, t: [], accel: [], gyro: [], truth: [])
        var index = 0
        while let sample = try reader.next() {
            guard sample.sensor == 0 else { continue }
            trial.t.append(sample.t)
            trial.accel.append(sample.accel)
            trial.gyro.append(sample.gyro)
            // As BroadEvaluation: truth rows are on the IMU's clock.
            while index < rows.count, rows[index].t < sample.t - 1e-6 { index += 1 }
            let row = index < rows.count && abs(rows[index].t - sample.t) < 1e-6 ? rows[index] : nil
            trial.truth.append(row.flatMap { $0.movement ? $0.orientation : nil })
        }
        return trial
    }

    /// RMS inclination error of `filter` over the scored samples, degrees.
    func score<F: BaselineFilter>(_ filter: F) -> Double {
        var filter = filter
        var sum = 0.0
        var count = 0
        for i in t.indices {
            filter.update(t: t[i], accel: accel[i], gyro: gyro[i])
            if let q = truth[i] {
                let e = inclinationError(estimated: filter.orientation, truth: q)
                sum += e * e
                count += 1
            }
        }
        return count > 0 ? (sum / Double(count)).squareRoot().degrees : .nan
    }

    /// Best-of-`rounds` ns per update of `make()` over the whole trial.
    func nanosecondsPerUpdate<F: BaselineFilter>(rounds: Int = 5, _ make: () -> F) -> (ns: Double, sink: Double) {
        var best = Double.infinity
        var sink = 0.0
        for _ in 0..<rounds {
            var filter = make()
            let start = DispatchTime.now().uptimeNanoseconds
            for i in t.indices { filter.update(t: t[i], accel: accel[i], gyro: gyro[i]) }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            best = min(best, elapsed / Double(t.count))
            sink += filter.orientation.w
        }
        return (best, sink)
    }
}

/// Our filter as a `BaselineFilter`, so all three run through the same loops.
extension OrientationFilter: BaselineFilter {}

struct BroadComparison {
    var oursMean: Double
    var madgwickMean: Double
    var mahonyMean: Double
    var oursNanoseconds: Double
}

/// The gains tried: a decade each side of the published defaults (Madgwick β 0.033–0.041,
/// Mahony Kp 1–2), so the best is inside the grid.
let madgwickBetas = [0.003, 0.005, 0.01, 0.02, 0.033, 0.05, 0.1, 0.2, 0.4]
let mahonyGains = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 4, 8]

@discardableResult
func runBroadComparison(directory: String) throws -> BroadComparison? {
    let files = BroadEvaluation.trials(in: directory)
    guard !files.isEmpty else {
        print("broad: no trials in \(directory); skipped")
        return nil
    }
    let trials = try files.map { try LoadedTrial.load(name: $0.name, imu: $0.imu, truth: $0.truth) }
    func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
    let ours = trials.map { $0.score(OrientationFilter()) }
    let madgwick = madgwickBetas.map { beta in (beta, trials.map { $0.score(MadgwickBaseline(beta: beta)) }) }
        .min { mean($0.1) < mean($1.1) }!
    let mahony = mahonyGains.map { kp in (kp, trials.map { $0.score(MahonyBaseline(proportionalGain: kp, integralGain: kp / 30)) }) }
        .min { mean($0.1) < mean($1.1) }!
    print("broad: inclination error, RMS over scored samples, degrees (Madgwick β and Mahony Kp: the best fixed gain over these trials)")
    print(String(format: "  %-45@ %8@ %12@ %12@", "trial" as NSString, "ours" as NSString,
                 "Madgwick \(madgwick.0)" as NSString, "Mahony \(mahony.0)" as NSString))
    for (index, trial) in trials.enumerated() {
        print(String(format: "  %-45@ %8.3f %12.3f %12.3f", trial.name as NSString, ours[index], madgwick.1[index], mahony.1[index]))
    }
    let result = BroadComparison(oursMean: mean(ours), madgwickMean: mean(madgwick.1), mahonyMean: mean(mahony.1), oursNanoseconds: 0)
    print(String(format: "  %-45@ %8.3f %12.3f %12.3f   (target ≤ 0.68°: VQF's)", "mean over \(trials.count) trials" as NSString,
                 result.oursMean, result.madgwickMean, result.mahonyMean))

    // Cost on the longest trial, in memory: the filters alone.
    let longest = trials.max { $0.t.count < $1.t.count }!
    let oursCost = longest.nanosecondsPerUpdate { OrientationFilter() }
    let madgwickCost = longest.nanosecondsPerUpdate { MadgwickBaseline(beta: madgwick.0) }
    let mahonyCost = longest.nanosecondsPerUpdate { MahonyBaseline(proportionalGain: mahony.0, integralGain: mahony.0 / 30) }
    print(String(format: "filter cost on %@ (%d samples in memory), best of 5: ours %.1f ns/update, Madgwick %.1f (ratio %.2fx), Mahony %.1f (ratio %.2fx); target ≤ 150 ns [sink %.3f]",
                 longest.name as NSString, longest.t.count, oursCost.ns, madgwickCost.ns, oursCost.ns / madgwickCost.ns,
                 mahonyCost.ns, oursCost.ns / mahonyCost.ns, oursCost.sink + madgwickCost.sink + mahonyCost.sink))
    recordRow("1 orientation accuracy, BROAD (\(trials.count) trials, mean inclination RMS)", measured: String(format: "%.3f°", result.oursMean),
              baseline: String(format: "Madgwick β %@ %.3f°, Mahony Kp %@ %.3f°", "\(madgwick.0)", result.madgwickMean, "\(mahony.0)", result.mahonyMean),
              ratio: String(format: "%.2fx of Madgwick", result.oursMean / result.madgwickMean), target: "≤ 0.68° (fails CI > 1.0°)",
              command: "PostureBench broad")
    recordRow("3 filter cost (real BROAD trial in memory)", measured: String(format: "%.1f ns/update", oursCost.ns),
              baseline: String(format: "Madgwick %.1f ns, Mahony %.1f ns", madgwickCost.ns, mahonyCost.ns),
              ratio: String(format: "%.2fx / %.2fx", oursCost.ns / madgwickCost.ns, oursCost.ns / mahonyCost.ns), target: "≤ 150 ns",
              command: "PostureBench broad")
    var withCost = result
    withCost.oursNanoseconds = oursCost.ns
    return withCost
}
