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
//   swift run -c release PostureBench broad [DIR]  # BROAD inclination error per trial

let arguments = CommandLine.arguments.dropFirst()
let which = arguments.first ?? "all"
let broadDirectory = arguments.dropFirst().first ?? "../shared/data/broad"

if which == "filter" || which == "all" { runFilterBenchmark() }
if which == "replay" || which == "all" { try runReplayBenchmark() }
if which == "allocations" || which == "all" { try runAllocationBenchmark() }
if which == "broad" || which == "all" { try runBroadAccuracy(directory: broadDirectory) }
