import PostureConfig
@testable import PostureDaemon
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class CheckConfigTests: XCTestCase {
    /// This checkout's root, found from this source file's path.
    private var repositoryRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/PostureDaemonTests/CheckConfigTests.swift
        return parts.joined(separator: "/")
    }

    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/postured-checkconfig-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        directory = try String(cString: XCTUnwrap(made))
    }

    override func tearDownWithError() throws {
        if let entries = opendir(directory) {
            while let entry = readdir(entries) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(entries)
        }
        rmdir(directory)
    }

    private func write(_ text: String, to name: String) -> String {
        let path = directory + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        StandardStreams.write(text, to: descriptor)
        close(descriptor)
        return path
    }

    private func check(_ path: String) -> (status: Int32, report: String) {
        var report = ""
        let status = CheckConfig.run(path: path) { report += $0 }
        return (status, report)
    }

    func testTheShippedConfigurationPasses() {
        let path = repositoryRoot + "/config/postured.toml"
        let result = check(path)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.report, "")
        var fine = ""
        XCTAssertEqual(CheckConfig.run(path: path, fine: { fine += $0 }, report: { _ in }), 0)
        XCTAssertTrue(fine.hasPrefix(path + ": no problems ("), "a good file is said to be good: \(fine)")
        XCTAssertTrue(fine.hasSuffix(" indicators)\n") || fine.hasSuffix(" indicator)\n"), fine)
    }

    func testAnEmptyFilePasses() {
        XCTAssertEqual(check(write("", to: "empty.toml")).status, 0)
    }

    func testEveryProblemIsReportedAsFileLineKey() {
        let path = write(
            """
            [sampling]
            rate_hz = 5000

            [policy]
            slouch_pelvic_tilt_threshold_deg = -3

            [log]
            level = "loud"
            """, to: "broken.toml")
        let result = check(path)
        XCTAssertEqual(result.status, 78)
        let lines = result.report.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "", "the report ends in a newline")
        let problems = lines.dropLast()
        XCTAssertEqual(problems.count, 3, result.report)
        XCTAssertTrue(problems[0].hasPrefix("\(path):2: sampling.rate_hz: "), String(problems[0]))
        XCTAssertTrue(problems[1].hasPrefix("\(path):5: policy.slouch_pelvic_tilt_threshold_deg: "), String(problems[1]))
        XCTAssertTrue(problems[2].hasPrefix("\(path):8: log.level: "), String(problems[2]))
        for problem in problems {
            XCTAssertTrue(problem.contains("expected"), "says what is allowed: \(problem)")
        }
    }

    func testASyntaxErrorHasItsLine() {
        let path = write("[sampling]\nrate_hz = = 3\n", to: "syntax.toml")
        let result = check(path)
        XCTAssertEqual(result.status, 78)
        XCTAssertTrue(result.report.hasPrefix("\(path):2: "), result.report)
    }

    func testAMissingFileIsAConfigurationError() {
        let path = directory + "/absent.toml"
        let result = check(path)
        XCTAssertEqual(result.status, 78)
        XCTAssertEqual(result.report, "\(path): cannot open: No such file or directory\n")
    }

    func testCheckConfigThroughTheCommandLine() {
        let path = write("[log]\nlevel = \"loud\"\n", to: "bad.toml")
        var output = "", errors = ""
        let outcome = DaemonCommandLine.start(
            arguments: ["postured", "--check-config", path], environment: [:],
            output: { output += $0 }, errors: { errors += $0 })
        XCTAssertEqual(outcome, .exit(78))
        XCTAssertEqual(output, "")
        XCTAssertTrue(errors.hasPrefix("\(path):2: log.level: "), errors)

        let good = DaemonCommandLine.start(
            arguments: ["postured", "--check-config", repositoryRoot + "/config/postured.toml"], environment: [:],
            output: { output += $0 }, errors: { errors += $0 })
        XCTAssertEqual(good, .exit(0))
    }
}
