import Foundation
import Synchronization

/// The rows of BENCHMARKS.md, collected as the benchmarks run and printed at the end as a
/// Markdown table: what was measured, beside its baseline from the same run, the ratio and the
/// target. `scripts/bench` prints it with the machine it ran on.
struct BenchRow: Sendable {
    var row: String
    var measured: String
    var baseline: String
    var ratio: String
    var target: String
    /// How to get this row alone.
    var command: String
}

/// A Mutex: every benchmark runs on the main thread today, but nothing here relies on that.
let benchRows = Mutex<[BenchRow]>([])

func recordRow(_ row: String, measured: String, baseline: String = "–", ratio: String = "–", target: String, command: String) {
    benchRows.withLock { $0.append(BenchRow(row: row, measured: measured, baseline: baseline, ratio: ratio, target: target, command: command)) }
}

/// The table, printed; or written to `$POSTURED_BENCH_TABLE_FILE` when set (scripts/bench prints
/// it after the machine it ran on).
func printBenchTable() {
    let rows = benchRows.withLock { $0 }
    guard !rows.isEmpty else { return }
    var lines = ["| row | measured | baseline (same run) | ratio | target | command |", "|---|---|---|---|---|---|"]
    for r in rows {
        lines.append("| \(r.row) | \(r.measured) | \(r.baseline) | \(r.ratio) | \(r.target) | `\(r.command)` |")
    }
    let table = lines.joined(separator: "\n") + "\n"
    if let file = ProcessInfo.processInfo.environment["POSTURED_BENCH_TABLE_FILE"] {
        do { try table.write(toFile: file, atomically: false, encoding: .utf8) } catch { print("bench: cannot write \(file): \(error)") }
    } else {
        print("\n" + table, terminator: "")
    }
}
