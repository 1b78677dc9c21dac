import Foundation

/// `PostureBench ci`: BENCHMARKS.md's rows 1–4 and a one-hour replay, in well under 3 minutes,
/// for `.ci/run`. Accuracy and allocations fail CI; timing rows only print (these machines are
/// noisy, and a speed figure means something only beside its baseline).
enum QuickSubsetLimit {
    /// BROAD mean inclination error, degrees (the target is 0.68°; this is the regression line).
    static let broadDegrees = 1.0
    /// HAPT overall agreement with the video labels.
    static let haptAgreement = 0.90
    static let allocationsPerSample = 0.0
}

func runQuickSubset() throws -> Bool {
    var failures: [String] = []
    if let broad = try runBroadComparison(directory: "../shared/data/broad") {
        if !(broad.oursMean <= QuickSubsetLimit.broadDegrees) {
            failures.append(String(format: "BROAD mean inclination error %.3f° is above %.1f°", broad.oursMean, QuickSubsetLimit.broadDegrees))
        }
    } else {
        failures.append("no BROAD trials in ../shared/data/broad")
    }
    if let hapt = try runHAPTAgreement(directory: "../shared/data/hapt") {
        if !(hapt >= QuickSubsetLimit.haptAgreement) {
            failures.append(String(format: "HAPT overall agreement %.1f%% is below %.0f%% (or a recording did not calibrate)", hapt * 100, QuickSubsetLimit.haptAgreement * 100))
        }
    } else {
        failures.append("no HAPT recordings in ../shared/data/hapt")
    }
    let allocations = try runAllocationBenchmark()
    if !(allocations <= QuickSubsetLimit.allocationsPerSample) {
        failures.append("\(allocations) allocations per engine sample (must be 0)")
    }
    runFilterBenchmark(updates: 500_000, rounds: 3)
    try runReplayBenchmark(hours: 1)
    for failure in failures { print("ci: FAIL: \(failure)") }
    print(failures.isEmpty ? "ci: accuracy and allocations within their limits (timing rows print only)" : "ci: \(failures.count) failed")
    return failures.isEmpty
}
