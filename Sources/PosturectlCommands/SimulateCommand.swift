import ArgumentParser
import PostureCore
import PostureReplay
import PostureSim

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated wearer's two-IMU recording as IMU CSV v1.",
        discussion: "Scenarios: \(Scenario.allNames.joined(separator: ", ")). Every scenario starts with the calibration poses: replay it with --stand 1:11 --sit 15:25.")

    @Argument(help: "The scenario to simulate.")
    var scenario: String

    @Option(help: "Where to write the CSV ('-' for standard output).")
    var out: String

    @Option(help: "Seed of the scenario's random details; the same seed gives the same file.")
    var seed: UInt64 = 1

    @Option(help: "Samples per second per sensor (25 to 1000).")
    var rate: Double = 100

    @Flag(help: "Only the pelvis sensor (no upper lumbar sensor).")
    var oneSensor = false

    func validate() throws {
        guard (25...1000).contains(rate) else { throw ValidationError("--rate \(rate): expected 25 to 1000 Hz") }
    }

    func run() throws {
        let name = oneSensor && !scenario.hasSuffix("-one-sensor") ? scenario + "-one-sensor" : scenario
        guard let chosen = Scenario.named(name, seed: seed) else {
            throw ValidationError("unknown scenario '\(scenario)'; expected one of \(Scenario.allNames.joined(separator: ", "))")
        }
        try SimulatedRecording.write(chosen.makeWearer(), rate: rate, to: out, source: "simulated scenario \(chosen.name), seed \(seed)")
        if out != "-" {  // as record does: what was written, on stderr (stdout may be the CSV)
            printError("wrote \(DurationText.describe(chosen.duration)) of scenario '\(chosen.name)' at \(jsonNumber(rate, decimals: 0)) Hz to \(out)")
        }
    }
}
