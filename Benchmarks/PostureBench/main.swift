import Foundation
import PostureCore
import PostureReplay
import PostureSim

// Speed and accuracy figures, printed (never asserted in timed tests: these machines are
// noisy, so each figure comes with a baseline measured in the same run).
//
//   swift run -c release PostureBench            # everything
//   swift run -c release PostureBench filter     # ns per orientation update vs a Mahony baseline
//   swift run -c release PostureBench replay     # a 2 h two-sensor 100 Hz replay, end to end
//   swift run -c release PostureBench allocations  # heap allocations per engine sample (must be 0)
//   swift run -c release PostureBench broad [DIR]  # BROAD inclination error per trial, ours vs Madgwick and Mahony; filter cost
//   swift run -c release PostureBench ci         # issue 13's quick subset: fails on BROAD > 1.0°, HAPT < 90%, allocations > 0
//   swift run -c release PostureBench hapt [DIR]   # issue 9: activity agreement per class on real people (HAPT)
//   swift run -c release PostureBench daemon     # issue 4: postured's CPU, RSS, loop-thread allocations, store commits
//   swift run -c release PostureBench loop       # issue 13 row 6: loop lateness at 100 Hz and 1 kHz vs cyclictest
//   swift run -c release PostureBench simulated  # issue 13 row 8: angles, activity, nudges on simulated wearers no test uses
//   swift run -c release PostureBench picture    # issue 11: report --html of a full day vs the text report
//   PostureBench idle-loop SECONDS               # the daemon benchmark's baseline child: a bare 100 Hz timer loop

let arguments = CommandLine.arguments.dropFirst()
let which = arguments.first ?? "all"
let broadDirectory = arguments.dropFirst().first ?? "../shared/data/broad"

if which == "filter" || which == "all" { runFilterBenchmark() }
if which == "replay" || which == "all" {
    let hours = ProcessInfo.processInfo.environment["POSTURED_BENCH_REPLAY_HOURS"].flatMap { Double($0) } ?? 2
    try runReplayBenchmark(hours: hours)
}
if which == "allocations" || which == "all" { try runAllocationBenchmark() }
if which == "broad" || which == "all" { try runBroadComparison(directory: broadDirectory) }
if which == "hapt" || which == "all" {
    try runHAPTAgreement(directory: which == "hapt" ? arguments.dropFirst().first ?? "../shared/data/hapt" : "../shared/data/hapt")
}
if which == "daemon" || which == "all" { try runDaemonBenchmark() }
if which == "picture" || which == "all" { try runPictureBenchmark() }
if which == "loop" || which == "all" { try runLoopTimingBenchmark() }
if which == "simulated" || which == "all" { runSimulatedPostureAccuracy() }
if which == "ci" {
    let passed = try runQuickSubset()
    printBenchTable()
    exit(passed ? 0 : 1)
}
if which == "idle-loop" { runIdleLoop(seconds: arguments.dropFirst().first.flatMap { Double($0) } ?? 60) }
printBenchTable()
