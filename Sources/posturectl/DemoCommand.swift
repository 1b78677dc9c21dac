import ArgumentParser
import Foundation
import PostureReplay
import PostureSim

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the engine live on a simulated wearer, sped up, then print the day summary.",
        discussion: "No hardware needed. Scenarios: \(Scenario.allNames.joined(separator: ", ")).")

    @Option(help: "The simulated day.")
    var scenario = "workday"

    @Option(help: "Simulated seconds per real second (0: as fast as possible).")
    var speed: Double = 600

    @Option(help: "Seed of the scenario's random details.")
    var seed: UInt64 = 1

    func validate() throws {
        guard speed >= 0, speed.isFinite else { throw ValidationError("--speed \(speed): expected 0 or more") }
    }

    func run() throws {
        guard let chosen = Scenario.named(scenario, seed: seed) else {
            throw ValidationError("unknown scenario '\(scenario)'; expected one of \(Scenario.allNames.joined(separator: ", "))")
        }
        let realSeconds = speed > 0 ? chosen.duration / speed : 0
        say("postured demo: scenario '\(chosen.name)' (\(ReplayOutput.duration(chosen.duration)) of a wearer's day)"
            + (speed > 0 ? ", \(Int(speed))× speed: about \(Int(realSeconds.rounded())) s" : ""))
        let clock = ContinuousClock()
        let origin = clock.now
        let summary = try DemoRunner(scenario: chosen, speed: speed).run(
            emit: say,
            now: {
                let elapsed = clock.now - origin
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            },
            sleep: { Thread.sleep(forTimeInterval: $0) })
        say("")
        say(ReplayOutput.humanSummary(summary))
    }
}

/// Writes one line to standard output at once (unbuffered), so a piped demo shows each
/// event as it happens.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
