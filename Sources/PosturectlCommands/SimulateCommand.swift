import PostureCommandLine
import PostureCore
import PostureReplay
import PostureSim

struct SimulateCommand: Command {
    static let declaration = CommandDeclaration(
        "simulate",
        abstract: "Write a simulated wearer's two-IMU recording as IMU CSV v1.",
        discussion: "Scenarios: \(Scenario.allNames.joined(separator: ", ")). Every scenario starts with the calibration poses: replay it with --stand 1:11 --sit 15:25.",
        arguments: [scenarioArgument, outOption, seedOption, rateOption, oneSensorFlag])
    static let scenarioArgument = Argument<String>.positional(
        "scenario", help: "The scenario to simulate.", completion: .list(Scenario.allNames))
    static let outOption = Argument<String>.required(
        "out", help: "Where to write the CSV ('-' for standard output).", completion: .file)
    static let seedOption = Argument<UInt64>.option(
        "seed", default: 1, help: "Seed of the scenario's random details; the same seed gives the same file.")
    static let rateOption = Argument<Double>.option("rate", default: 100, help: "Samples per second per sensor (25 to 1000).")
    static let oneSensorFlag = Flag("one-sensor", help: "Only the pelvis sensor (no upper lumbar sensor).")

    let scenario: String
    let out: String
    let seed: UInt64
    let rate: Double
    let oneSensor: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        scenario = try arguments.value(Self.scenarioArgument)
        out = try arguments.value(Self.outOption)
        seed = try arguments.value(Self.seedOption)
        rate = try arguments.value(Self.rateOption)
        oneSensor = arguments.isSet(Self.oneSensorFlag)
    }

    func validate() throws {
        guard (25...1000).contains(rate) else { throw UsageError("--rate \(rate): expected 25 to 1000 Hz") }
    }

    func run() throws {
        let name = oneSensor && !scenario.hasSuffix("-one-sensor") ? scenario + "-one-sensor" : scenario
        guard let chosen = Scenario.named(name, seed: seed) else {
            throw UsageError("unknown scenario '\(scenario)'; expected one of \(Scenario.allNames.joined(separator: ", "))")
        }
        try SimulatedRecording.write(chosen.makeWearer(), rate: rate, to: out, source: "simulated scenario \(chosen.name), seed \(seed)")
        if out != "-" {  // as record does: what was written, on stderr (stdout may be the CSV)
            printError("wrote \(DurationText.describe(chosen.duration)) of scenario '\(chosen.name)' at \(jsonNumber(rate, decimals: 0)) Hz to \(out)")
        }
    }
}
