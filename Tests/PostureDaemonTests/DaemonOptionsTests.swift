import PostureConfig
import PostureControl
@testable import PostureDaemon
import XCTest

final class DaemonOptionsTests: XCTestCase {
    private func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonOptions {
        try DaemonOptions.parse(arguments, environment: environment)
    }

    /// The usage error `arguments` produce (failing the test if they parse).
    private func usageError(
        _ arguments: [String], file: StaticString = #filePath, line: UInt = #line
    ) -> DaemonUsageError? {
        do {
            let options = try DaemonOptions.parse(arguments, environment: [:])
            XCTFail("expected a usage error, parsed \(options)", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.exitStatus, 64, file: file, line: line)
            return error
        }
    }

    func testDefaultsWithoutSystemd() throws {
        let options = try parse([])
        XCTAssertEqual(options.action, .run)
        XCTAssertEqual(options.configPath, "/etc/postured/postured.toml")
        XCTAssertNil(options.simulate)
        XCTAssertEqual(options.speed, 1)
        XCTAssertEqual(options.seed, 1)
        XCTAssertNil(options.stateDirectoryOverride)
        XCTAssertNil(options.runtimeDirectoryOverride)
        XCTAssertFalse(options.foreground)
        XCTAssertEqual(options.stateDirectory(configured: "/srv/posture"), "/srv/posture")
        XCTAssertEqual(options.controlSocketPath(configured: "/run/x/control.sock"), "/run/x/control.sock")
    }

    func testDefaultsFromTheDirectoriesSystemdSets() throws {
        let options = try parse([], [
            "CONFIGURATION_DIRECTORY": "/etc/postured",
            "STATE_DIRECTORY": "/var/lib/postured:/var/lib/other",
            "RUNTIME_DIRECTORY": "/run/postured/",
        ])
        XCTAssertEqual(options.configPath, "/etc/postured/postured.toml")
        XCTAssertEqual(options.stateDirectory(configured: "/somewhere/else"), "/var/lib/postured")
        XCTAssertEqual(options.controlSocketPath(configured: "/tmp/ctl.sock"), "/run/postured/ctl.sock")
        // Empty variables are no directories.
        let empty = try parse([], ["STATE_DIRECTORY": "", "CONFIGURATION_DIRECTORY": ""])
        XCTAssertNil(empty.stateDirectoryOverride)
        XCTAssertEqual(empty.configPath, "/etc/postured/postured.toml")
    }

    func testEveryOptionBothSpellings() throws {
        let spaced = try parse([
            "--config", "/tmp/p.toml", "--simulate", "workday", "--speed", "60", "--seed", "42",
            "--state-dir", "/tmp/state", "--runtime-dir", "/tmp/run", "--foreground",
        ], ["STATE_DIRECTORY": "/var/lib/postured", "RUNTIME_DIRECTORY": "/run/postured"])
        XCTAssertEqual(spaced.action, .run)
        XCTAssertEqual(spaced.configPath, "/tmp/p.toml")
        XCTAssertEqual(spaced.simulate, "workday")
        XCTAssertEqual(spaced.speed, 60)
        XCTAssertEqual(spaced.seed, 42)
        XCTAssertEqual(spaced.stateDirectoryOverride, "/tmp/state", "the command line wins over the environment")
        XCTAssertEqual(spaced.controlSocketPath(configured: "/run/postured/control.sock"), "/tmp/run/control.sock")
        XCTAssertTrue(spaced.foreground)

        let joined = try parse([
            "--config=/tmp/p.toml", "--simulate=workday", "--speed=60", "--seed=42",
            "--state-dir=/tmp/state", "--runtime-dir=/tmp/run", "--foreground",
        ], ["STATE_DIRECTORY": "/var/lib/postured", "RUNTIME_DIRECTORY": "/run/postured"])
        XCTAssertEqual(joined, spaced)
    }

    func testOneSensorScenariosAndFractionalSpeed() throws {
        let options = try parse(["--simulate", "slouch-one-sensor", "--speed", "0.5"])
        XCTAssertEqual(options.simulate, "slouch-one-sensor")
        XCTAssertEqual(options.speed, 0.5)
    }

    func testCheckConfigHelpAndVersion() throws {
        XCTAssertEqual(try parse(["--check-config", "/etc/postured/postured.toml"]).action,
                       .checkConfig(path: "/etc/postured/postured.toml"))
        XCTAssertEqual(try DaemonOptions.parse(["--check-config=x.toml"], workingDirectory: "/w").action, .checkConfig(path: "/w/x.toml"))
        XCTAssertEqual(try parse(["--help"]).action, .printHelp)
        XCTAssertEqual(try parse(["-h"]).action, .printHelp)
        XCTAssertEqual(try parse(["--version"]).action, .printVersion)
        // --help answers even when something after it is wrong.
        XCTAssertEqual(try parse(["--help", "--bogus"]).action, .printHelp)
    }

    func testUnknownOptionsAndArguments() {
        XCTAssertEqual(usageError(["--bogus"])?.message, "unknown option '--bogus'")
        XCTAssertEqual(usageError(["--bogus=1"])?.message, "unknown option '--bogus'")
        XCTAssertEqual(usageError(["-x"])?.message, "unknown option '-x'")
        XCTAssertEqual(usageError(["postured.toml"])?.message,
                       "unexpected argument 'postured.toml' (postured takes only options)")
        XCTAssertEqual(usageError(["--bogus"])?.description,
                       "postured: unknown option '--bogus'\nTry 'postured --help' for more information.")
    }

    func testMissingValues() {
        for option in ["--config", "--check-config", "--simulate", "--speed", "--seed", "--state-dir", "--runtime-dir"] {
            XCTAssertEqual(usageError([option])?.message, "\(option) needs a value")
            XCTAssertEqual(usageError([option, "--foreground"])?.message, "\(option) needs a value",
                           "an option is not taken as a value")
            XCTAssertEqual(usageError(["\(option)="])?.message, "\(option) needs a non-empty value")
        }
        XCTAssertEqual(usageError(["--foreground=yes"])?.message, "--foreground takes no value")
    }

    func testBadValues() {
        XCTAssertEqual(
            usageError(["--simulate", "office"])?.message,
            "--simulate: unknown scenario 'office', expected one of "
                + "workday, calibration, slouch, walk, lying, lean-forward, fidget, one-sensor (or NAME-one-sensor)")
        for speed in ["0", "-2", "fast", "nan", "inf", "1e9"] {
            XCTAssertEqual(
                usageError(["--simulate", "walk", "--speed", speed])?.message,
                "--speed: '\(speed)' is not a speed, expected a number above 0 and at most 100000")
        }
        XCTAssertEqual(
            usageError(["--simulate", "walk", "--seed", "-1"])?.message,
            "--seed: '-1' is not a seed, expected a whole number from 0 to 18446744073709551615")
    }

    /// Relative paths are taken from where postured was started, as posturectl takes them.
    func testRelativePathsAreFromTheWorkingDirectory() throws {
        let options = try DaemonOptions.parse(
            ["--state-dir", "state", "--runtime-dir", "./run", "--config", "conf/postured.toml"], workingDirectory: "/home/wearer")
        XCTAssertEqual(options.stateDirectoryOverride, "/home/wearer/state")
        XCTAssertEqual(options.runtimeDirectoryOverride, "/home/wearer/run")
        XCTAssertEqual(options.configPath, "/home/wearer/conf/postured.toml")
        let check = try DaemonOptions.parse(["--check-config", "x.toml"], workingDirectory: "/srv/")
        XCTAssertEqual(check.action, .checkConfig(path: "/srv/x.toml"))
        XCTAssertEqual(try DaemonOptions.parse(["--state-dir", "/abs"], workingDirectory: "/w").stateDirectoryOverride, "/abs")
    }

    func testSimulationOptionsNeedSimulate() {
        XCTAssertEqual(usageError(["--speed", "10"])?.message, "--speed needs --simulate")
        XCTAssertEqual(usageError(["--seed", "3"])?.message, "--seed needs --simulate")
    }

    // MARK: DaemonCommandLine.start

    private struct Captured {
        var outcome: DaemonCommandLine.Outcome
        var output: String
        var errors: String
    }

    private func start(_ arguments: [String], _ environment: [String: String] = [:]) -> Captured {
        var output = "", errors = ""
        let outcome = DaemonCommandLine.start(
            arguments: ["postured"] + arguments, environment: environment,
            output: { output += $0 }, errors: { errors += $0 })
        return Captured(outcome: outcome, output: output, errors: errors)
    }

    func testStartAnswersHelpVersionAndUsageErrors() {
        let help = start(["--help"])
        XCTAssertEqual(help.outcome, .exit(0))
        XCTAssertTrue(help.output.hasPrefix("Usage: postured [OPTIONS]\n"))
        for option in ["--config", "--check-config", "--simulate", "--speed", "--seed", "--state-dir",
                       "--runtime-dir", "--foreground", "--version", "--help"] {
            XCTAssertTrue(help.output.contains(option), "help mentions \(option)")
        }
        XCTAssertEqual(help.errors, "")

        let version = start(["--version"])
        XCTAssertEqual(version.outcome, .exit(0))
        XCTAssertEqual(version.output, "postured \(PosturedVersion.string)\n")

        let bad = start(["--frobnicate"])
        XCTAssertEqual(bad.outcome, .exit(64))
        XCTAssertEqual(bad.output, "")
        XCTAssertEqual(bad.errors, "postured: unknown option '--frobnicate'\nTry 'postured --help' for more information.\n")
    }

    func testStartHandsRunToTheDaemon() throws {
        let captured = start(["--simulate", "workday", "--speed", "30"], ["RUNTIME_DIRECTORY": "/run/postured"])
        var expected = DaemonOptions()
        expected.simulate = "workday"
        expected.speed = 30
        expected.runtimeDirectoryOverride = "/run/postured"
        XCTAssertEqual(captured.outcome, .run(expected))
        XCTAssertEqual(captured.output + captured.errors, "")
    }

    func testVersionLooksLikeADebianUpstreamVersion() {
        let version = PosturedVersion.string
        XCTAssertTrue(version.first?.isNumber ?? false)
        XCTAssertTrue(version.allSatisfy { $0.isNumber || $0 == "." || $0 == "~" || $0 == "+" })
    }
}
