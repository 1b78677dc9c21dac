import Foundation
import XCTest

/// man/posturectl.1 and the shell completions come from posturectl's own declarations of its
/// command line (Sources/PostureCommandLine). The page is committed: these fail when a
/// declaration changes and the page is not regenerated; the completions must be valid scripts
/// that complete what posturectl parses.
final class ManualPageTests: XCTestCase {
    func testTheCommittedManualPageIsTheOneTheToolWrites() throws {
        let tool = try SuitePaths.requirePosturectl()
        let generated = try runProcess(tool, ["--generate-manual"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let path = SuitePaths.packageRoot.appendingPathComponent("man/posturectl.1").path
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(generated.stdout.contains(".SS status\n") && generated.stdout.contains("\\-\\-socket PATH"), generated.stdout)
        XCTAssertEqual(
            committed, generated.stdout,
            "man/posturectl.1 is not what posturectl declares; run scripts/generate-posturectl-manual and commit man/posturectl.1")
    }

    /// Runs the bash completion for the words typed so far (the last one being completed).
    private func bashCompletes(_ script: String, _ words: [String]) throws -> [String] {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = "source \(script); COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); "
            + #"COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; _posturectl; printf '%s\n' "${COMPREPLY[@]}""#
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", program])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testTheBashCompletionCompletesCommandsOptionsAndValues() throws {
        let tool = try SuitePaths.requirePosturectl()
        let directory = try TemporaryDirectory()
        let script = try directory.file("posturectl.bash", try runProcess(tool, ["--generate-completion-script", "bash"]).stdout)
        XCTAssertEqual(try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-n", script]).status, 0)
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "sta"]), ["status"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "--socket", "/run/x", "re"]).sorted(), ["record", "reload", "replay", "report", "resume"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "status", "--so"]), ["--socket"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "report", "--w"]), ["--week"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "demo", "--scenario", "wo"]), ["workday"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "test-nudge", "sl"]), ["slouch"])
        XCTAssertEqual(try bashCompletes(script, ["posturectl", "fuse", "--out", directory.path("posturectl.b")]), [script])
    }

    /// zsh and fish, where installed (apt-get install zsh fish): the scripts at least parse.
    func testTheZshAndFishCompletionsParse() throws {
        let tool = try SuitePaths.requirePosturectl()
        let directory = try TemporaryDirectory()
        var checked = 0
        for (shell, check) in [("zsh", ["-n"]), ("fish", ["--no-execute"])] {
            guard let path = ["/usr/bin/\(shell)", "/bin/\(shell)"].first(where: FileManager.default.isExecutableFile) else { continue }
            let generated = try runProcess(tool, ["--generate-completion-script", shell])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            XCTAssertTrue(generated.stdout.contains("status"), generated.stdout)
            let script = try directory.file("posturectl.\(shell)", generated.stdout)
            let parsed = try runProcess(URL(fileURLWithPath: path), check + [script])
            XCTAssertEqual(parsed.status, 0, "\(shell): \(parsed.stderr)")
            checked += 1
        }
        if checked == 0 { throw XCTSkip("neither zsh nor fish is installed") }
    }
}
