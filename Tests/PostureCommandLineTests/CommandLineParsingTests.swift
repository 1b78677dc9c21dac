import PostureCommandLine
import XCTest

/// A small program declared as posturectl's commands are: what the parser accepts and refuses,
/// and what help says, from the one declaration.
final class CommandLineParsingTests: XCTestCase {
    static let socket = Argument<String>.option("socket", valueName: "path", help: "The control socket.", completion: .file)
    static let json = Flag("json", help: "JSON lines.")
    static let file = Argument<String>.positional("file", help: "A recording.", completion: .file)
    static let stand = Argument<String>.required("stand", help: "A window A:B.", takesDashedValue: true)
    static let sensor = Argument.option("sensor", default: 0, help: "The sensor.")
    static let rate = Argument<Double>.option("rate", help: "Frames per second.")
    static let bus = Argument<String>.repeated("bus", help: "A bus. Repeatable.")

    static let program = ProgramDeclaration(
        name: "tool", abstract: "A tool.", version: "tool 1.0",
        commands: [
            CommandDeclaration("replay", abstract: "Replay a recording.", arguments: [file, stand, sensor, json]),
            CommandDeclaration("status", abstract: "Show the status.", arguments: [socket, json, rate, bus]),
        ])

    private func parsed(_ words: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ParsedArguments {
        guard case .run(let arguments) = try Self.program.request(words) else {
            XCTFail("\(words) is no command to run", file: file, line: line)
            throw UsageError("not run")
        }
        return arguments
    }

    /// The message of the usage error `words` make, and the command whose usage goes with it.
    private func refusal(_ words: [String]) -> (message: String, command: String?)? {
        do {
            _ = try Self.program.request(words)
            return nil
        } catch {
            return (error.error.description, error.command?.name)
        }
    }

    func testOptionsTakeTheirValueEitherWayAndSharedOnesWorkBeforeTheCommand() throws {
        let status = try parsed(["--socket", "/run/a", "--json", "status", "--rate=2.5", "--bus", "1", "--bus=i2c-2"])
        XCTAssertEqual(try status.optionalValue(Self.socket), "/run/a")
        XCTAssertTrue(status.isSet(Self.json))
        XCTAssertEqual(try status.optionalValue(Self.rate), 2.5)
        XCTAssertEqual(try status.values(Self.bus), ["1", "i2c-2"])
        let plain = try parsed(["status"])
        XCTAssertNil(try plain.optionalValue(Self.socket))
        XCTAssertFalse(plain.isSet(Self.json))
        XCTAssertEqual(try plain.values(Self.bus), [])
    }

    func testDefaultsDashedValuesAndTheEndOfOptions() throws {
        let replay = try parsed(["replay", "--stand", "-5:0", "--", "-odd name.csv"])
        XCTAssertEqual(try replay.value(Self.stand), "-5:0")
        XCTAssertEqual(try replay.value(Self.file), "-odd name.csv")
        XCTAssertEqual(try replay.value(Self.sensor), 0)
        XCTAssertEqual(try parsed(["replay", "f", "--stand", "1:2", "--sensor", "1"]).value(Self.sensor), 1)
    }

    func testMistakesAreNamedWithWhatWasExpected() {
        XCTAssertEqual(refusal(["replay", "f"])?.message, "Missing expected argument '--stand <stand>'")
        XCTAssertEqual(refusal(["replay", "--stand", "1:2"])?.message, "Missing expected argument '<file>'")
        XCTAssertEqual(refusal(["status", "--rate"])?.message, "Missing value for '--rate <rate>'")
        XCTAssertEqual(refusal(["status", "--rate", "--json"])?.message, "Missing value for '--rate <rate>'")
        XCTAssertEqual(
            refusal(["status", "--rate", "fast"])?.message, "'fast' is not a valid value for '--rate <rate>': expected a number")
        XCTAssertEqual(
            refusal(["replay", "f", "--stand", "1:2", "--sensor", "x"])?.message,
            "'x' is not a valid value for '--sensor <sensor>': expected an integer")
        XCTAssertEqual(refusal(["status", "--sockt", "x"])?.message, "Unknown option '--sockt'. Did you mean '--socket'?")
        XCTAssertEqual(refusal(["status", "--sockt", "x"])?.command, "status")
        XCTAssertEqual(refusal(["status", "-5"])?.message, "Unknown option '-5'")
        XCTAssertEqual(refusal(["status", "extra"])?.message, "Unexpected argument 'extra'")
        XCTAssertEqual(refusal(["status", "--json=yes"])?.message, "'--json' takes no value (given '--json=yes')")
        XCTAssertEqual(
            refusal(["stauts"])?.message, "unknown command 'stauts' (did you mean 'status'?); 'tool --help' lists them")
        XCTAssertNil(refusal(["stauts"])?.command)
        XCTAssertEqual(refusal(["frobnicate"])?.message, "unknown command 'frobnicate'; 'tool --help' lists them")
        XCTAssertEqual(refusal(["--bogus", "status"])?.message, "Unknown option '--bogus'")
        // A shared option before a command that does not take it: named by the command.
        XCTAssertEqual(refusal(["--stand", "1:2", "status"])?.message, "Unknown option '--stand'")
    }

    func testHelpVersionAndTheGeneratorsAreAskedForAnywhere() throws {
        func request(_ words: [String]) throws -> String {
            switch try Self.program.request(words) {
            case .help(let command): "help \(command?.name ?? "")"
            case .version: "version"
            case .completionScript(let shell): "completion \(shell.rawValue)"
            case .manualPage: "manual"
            case .run(let arguments): "run \(arguments.command.name)"
            }
        }
        XCTAssertEqual(try request([]), "help ")
        XCTAssertEqual(try request(["-h"]), "help ")
        XCTAssertEqual(try request(["help", "replay"]), "help replay")
        XCTAssertEqual(try request(["replay", "--help"]), "help replay")
        XCTAssertEqual(try request(["status", "--bogus", "-h"]), "help status")
        XCTAssertEqual(try request(["status", "--version"]), "version")
        XCTAssertEqual(try request(["--generate-completion-script", "fish"]), "completion fish")
        XCTAssertEqual(try request(["--generate-manual"]), "manual")
        XCTAssertEqual(try request(["replay", "--stand", "1:2", "--", "--help"]), "run replay")  // after `--`, a word
        XCTAssertNotNil(refusal(["--generate-completion-script", "tcsh"]))
        XCTAssertNotNil(refusal(["help", "nothing"]))
    }

    func testHelpShowsUsageOptionsAndDefaults() {
        let help = Self.program.help(Self.program.commands[0])
        XCTAssertEqual(help, """
            OVERVIEW: Replay a recording.

            USAGE: tool replay <file> --stand <stand> [--sensor <sensor>] [--json]

            ARGUMENTS:
              <file>                  A recording.

            OPTIONS:
              --stand <stand>         A window A:B.
              --sensor <sensor>       The sensor. (default: 0)
              --json                  JSON lines.
              --version               Show the version.
              -h, --help              Show help information.


            """)
        XCTAssertTrue(Self.program.help(nil).contains("  status                  Show the status.\n"), Self.program.help(nil))
        XCTAssertEqual(Self.program.usage(Self.program.commands[1]), "tool status [--socket <path>] [--json] [--rate <rate>] [--bus <bus> ...]")
    }

    func testLongHelpWrapsUnderItsColumn() {
        let long = Flag("much-too-long-option-name", help: String(repeating: "word ", count: 20))
        let program = ProgramDeclaration(
            name: "t", abstract: "T.", version: "1", commands: [CommandDeclaration("c", abstract: "C.", arguments: [long])])
        let lines = program.help(program.commands[0]).split(separator: "\n")
        let first = lines.firstIndex { $0.hasPrefix("  --much-too-long-option-name") }!
        XCTAssertEqual(lines[first], "  --much-too-long-option-name")  // no room beside it: the help goes below
        XCTAssertTrue(lines[first + 1].hasPrefix(String(repeating: " ", count: 26) + "word"), String(lines[first + 1]))
        XCTAssertTrue(lines.allSatisfy { $0.count <= 80 }, lines.joined(separator: "\n"))
    }

    func testTheManualPageEscapesRoff() {
        let page = Self.program.manualPage(section: 1, exitStatus: "0 or 1.", files: [("/etc/x", "a file")], seeAlso: ".BR x (1)")
        XCTAssertTrue(page.contains(".B tool replay\nfile \\-\\-stand STAND [\\-\\-sensor SENSOR] [\\-\\-json]\n"), page)
        XCTAssertTrue(page.contains(".TP\n.B \\-\\-sensor SENSOR\nThe sensor. (default: 0)\n"), page)
        XCTAssertTrue(page.contains(".TH TOOL 1 \"\" \"tool 1.0\" \"User Commands\""), page)
    }
}
