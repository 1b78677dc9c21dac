import PostureCore
import PostureCommandLine
import PostureHardware
import PostureReplay
import PostureSim

struct DemoCommand: Command {
    static let declaration = CommandDeclaration(
        "demo",
        abstract: "Run the engine live on a simulated wearer, sped up, then print the day summary.",
        discussion: "No hardware needed. Scenarios: \(Scenario.allNames.joined(separator: ", ")).",
        arguments: [scenarioOption, speedOption, seedOption, jsonFlag])
    static let scenarioOption = Argument.option(
        "scenario", default: "workday", help: "The simulated day.", completion: .list(Scenario.allNames))
    // Text, and taking a dashed value, so that `--speed 0` and `--speed -1` get the daemon's own message.
    static let speedOption = Argument.option(
        "speed", default: "600", help: "Simulated seconds per real second, above 0 and at most 100000 (as postured --speed).",
        takesDashedValue: true)
    static let seedOption = Argument<UInt64>.option("seed", default: 1, help: "Seed of the scenario's random details.")
    static let jsonFlag = Flag(
        "json", help: "Print JSON Lines (as replay --json): one per activity change and nudge, then the day summary.")

    let scenario: String
    let speed: String
    let seed: UInt64
    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        scenario = try arguments.value(Self.scenarioOption)
        speed = try arguments.value(Self.speedOption)
        seed = try arguments.value(Self.seedOption)
        json = arguments.isSet(Self.jsonFlag)
    }

    func validate() throws {
        guard SimulationSpeed.parse(speed) != nil else { throw UsageError(SimulationSpeed.problem(speed)) }
    }

    func run() throws {
        guard let chosen = Scenario.named(scenario, seed: seed) else {
            throw UsageError("unknown scenario '\(scenario)'; expected one of \(Scenario.allNames.joined(separator: ", "))")
        }
        let speed = SimulationSpeed.parse(speed) ?? 600
        if !json {
            say("postured demo: scenario '\(chosen.name)' (\(DurationText.describe(chosen.duration)) of a wearer's day), "
                + "\(jsonNumber(speed, decimals: 0))× speed: about \(Int((chosen.duration / speed).rounded())) s")
        }
        let clock = ContinuousClock()
        let origin = clock.now
        var runner = DemoRunner(scenario: chosen, speed: speed)
        runner.json = json
        let summary = try runner.run(
            emit: say,
            now: {
                let elapsed = clock.now - origin
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            },
            sleep: realPause)
        if json {
            say(ReplayOutput.summaryJSON(summary))
        } else {
            say("")
            say(ReplayOutput.humanSummary(summary))
        }
    }
}

/// Writes one line to standard output at once, so a piped demo shows each event as it happens.
private func say(_ line: String) {
    print(line)
    flushStandardOutput()
}
