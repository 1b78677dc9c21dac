import Foundation
import PostureConfig
@testable import PostureDaemon
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 10, "Bad configuration": every file in `BadConfigs/` holds exactly one mistake, and
/// both `--check-config` and the daemon proper must refuse it with exit 78, naming the key.
///
/// Each corpus file starts with
///
///     # expect: sensor[1].address      what the problem line must name
///     # why: both sensors at 0x68      the mistake, in a few words
///     # line: 10                       (optional) the line the problem must point at
///
/// An expectation shaped like a key path (`sampling.rate_hz`, `indicator[0].reasons[1]`,
/// `display`) must be the problem's key: `FILE:LINE: sampling.rate_hz: …`. Anything else (a
/// syntax error's quoted key `'rate_hz'`, or its wording `unterminated string` where the
/// message names no key) must occur in the problem's text.
///
/// The folder is found from this file's path, like `config/postured.toml` in
/// `CheckConfigTests`; it is not a SwiftPM resource.
final class BadConfigCorpusTests: XCTestCase {
    static let corpusDirectory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()  // BadConfigCorpusTests.swift
        return parts.joined(separator: "/") + "/BadConfigs"
    }()

    /// Fewer than this means the folder was lost or emptied, not that the daemon got better.
    static let minimumCorpusSize = 40

    /// A few files across the categories, run through the real `postured` process.
    static let daemonSamples = [
        "01-rate-hz-string.toml",  // wrong type
        "17-unknown-sensor-key.toml",  // unknown key
        "29-tilt-negative.toml",  // out of range
        "40-duplicate-address.toml",  // two sensors at one address
        "49-indicator-line-empty.toml",  // bad GPIO line
        "66-mount-mirror.toml",  // mirror-image mount
        "84-duplicate-key.toml",  // syntax error
        "103-metrics-directory-missing.toml",  // a place that is not there
        "116-button-on-indicator-line.toml",  // the button on an indicator's line
    ]

    /// The daemon refuses before opening anything; a debug build still starts in well under this.
    private let refusalTimeout: TimeInterval = 5

    // MARK: The corpus through CheckConfig

    func testEveryCorpusFileIsRefusedNamingItsKey() throws {
        let names = try corpusFileNames()
        XCTAssertGreaterThanOrEqual(
            names.count, Self.minimumCorpusSize,
            "\(Self.corpusDirectory) holds only \(names.count) .toml files, expected at least \(Self.minimumCorpusSize)")

        var refused = 0
        var survivors: [String] = []
        for name in names {
            let path = Self.corpusDirectory + "/" + name
            let expectation: Expectation
            do {
                expectation = try Expectation(parsing: try contents(of: path))
            } catch {
                XCTFail("\(name): \(error)")
                survivors.append("\(name) (no usable # expect: header)")
                continue
            }

            var report = ""
            let status = CheckConfig.run(path: path) { report += $0 }
            let problems = Problem.all(in: report, path: path)
            XCTAssertEqual(status, ExitStatus.config, "\(name): expected exit 78 (EX_CONFIG); report:\n\(report)")
            XCTAssertTrue(report.contains(path), "\(name): the report does not name the file:\n\(report)")
            XCTAssertFalse(problems.isEmpty, "\(name): no FILE:LINE: problem line in the report:\n\(report)")
            let named = problems.contains { expectation.isNamed(by: $0) }
            XCTAssertTrue(named, "\(name): no problem names \(expectation); report:\n\(report)")

            if status == ExitStatus.config && named {
                refused += 1
            } else {
                survivors.append("\(name) (exit \(status)\(named ? "" : ", key not named"))")
            }
        }
        var summary = "bad-config corpus: \(names.count) files tried, \(refused) refused with exit 78 naming their key"
        if !survivors.isEmpty { summary += "; not: " + survivors.joined(separator: ", ") }
        print(summary)
    }

    /// The headers are what make a file checkable: catch a file added without them.
    func testEveryCorpusFileIsNamedAndHeaded() throws {
        for name in try corpusFileNames() {
            let scalars = Array(name.unicodeScalars)
            let digits = scalars.prefix { ("0"..."9").contains($0) }.count
            let numbered = digits >= 2 && scalars.count > digits + 1 && scalars[digits] == "-"
            XCTAssertTrue(numbered, "\(name): expected a name of the form NN-short-name.toml")
            let lines = try contents(of: Self.corpusDirectory + "/" + name).split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(lines.count > 1 && lines[1].hasPrefix("# why: "), "\(name): the second line must be '# why: ...'")
        }
    }

    // MARK: The daemon proper

    /// `postured --config BAD --simulate workday`: exit 78 at once, before READY, before the day log.
    func testTheDaemonRefusesCorpusFilesBeforeStarting() throws {
        let available = Set(try corpusFileNames())
        for name in Self.daemonSamples {
            guard available.contains(name) else {
                XCTFail("\(name) is not in \(Self.corpusDirectory); update daemonSamples")
                continue
            }
            let path = Self.corpusDirectory + "/" + name
            let expectation = try Expectation(parsing: try contents(of: path))

            let harness = try DaemonHarness()
            let started = Date()
            try harness.start(["--config", path, "--simulate", "workday", "--speed", "600"])
            let status = harness.waitForExit(timeout: refusalTimeout)
            let elapsed = Date().timeIntervalSince(started)
            if status == nil { harness.signal(SIGKILL) }

            XCTAssertEqual(
                status, ExitStatus.config,
                "\(name): expected exit 78 within \(refusalTimeout) s, got \(status.map { "\($0)" } ?? "no exit") "
                    + "after \(String(format: "%.2f", elapsed)) s; log:\n\(harness.log)")

            var notifications: [String] = []
            while let message = harness.notify.next(timeout: 0.1) { notifications.append(message) }
            XCTAssertFalse(
                notifications.contains { $0.contains("READY=1") },
                "\(name): a daemon that refused its configuration sent READY=1: \(notifications)")

            XCTAssertFalse(
                FileManager.default.fileExists(atPath: harness.dayLogPath),
                "\(name): the day log was created at \(harness.dayLogPath)")
            let stateEntries = (try? FileManager.default.contentsOfDirectory(atPath: harness.stateDirectory)) ?? []
            XCTAssertEqual(stateEntries, [], "\(name): the state directory is not empty")
            let runtimeEntries = (try? FileManager.default.contentsOfDirectory(atPath: harness.runtimeDirectory)) ?? []
            XCTAssertEqual(runtimeEntries, [], "\(name): the runtime directory is not empty (a control socket?)")

            // The pipe reader may lag the exit by a moment.
            let log = waitForLog(of: harness, containing: [path, expectation.text], timeout: 2)
            XCTAssertTrue(log.contains(path), "\(name): the daemon's log does not name the file:\n\(log)")
            XCTAssertTrue(log.contains(expectation.text), "\(name): the daemon's log does not name \(expectation):\n\(log)")
        }
    }

    // MARK: Helpers

    /// The `.toml` files of the corpus folder, sorted (opendir/readdir, as `CheckConfigTests` cleans up).
    private func corpusFileNames() throws -> [String] {
        guard let directory = opendir(Self.corpusDirectory) else {
            throw CorpusError("cannot open \(Self.corpusDirectory): errno \(errno)")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".toml") { names.append(name) }
        }
        return names.sorted()
    }

    private func contents(of path: String) throws -> String {
        switch TextFile.contents(of: path) {
        case .success(let text): return text
        case .failure(let failure): throw CorpusError("\(path): \(failure.message)")
        }
    }

    private func waitForLog(of harness: DaemonHarness, containing needles: [String], timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var log = harness.log
        while !needles.allSatisfy({ log.contains($0) }), Date() < deadline {
            usleep(10_000)
            log = harness.log
        }
        return log
    }
}

private struct CorpusError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// What a corpus file's headers promise about its problem report.
private struct Expectation: CustomStringConvertible {
    /// The key path (or, for a syntax error naming none, the wording) the problem must contain.
    var text: String
    /// The line the problem must point at, from `# line: N`.
    var line: Int?

    init(parsing file: String) throws {
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false)
        let prefix = "# expect: "
        guard let first = lines.first, first.hasPrefix(prefix) else {
            throw CorpusError("the first line must be '# expect: <key path>'")
        }
        text = String(first.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw CorpusError("'# expect:' names nothing") }
        for header in lines.dropFirst().prefix(while: { $0.hasPrefix("#") }) where header.hasPrefix("# line: ") {
            guard let number = Int(header.dropFirst("# line: ".count).trimmingCharacters(in: .whitespaces)), number > 0 else {
                throw CorpusError("'\(header)' is not '# line: N'")
            }
            line = number
        }
    }

    /// `sampling.rate_hz`, `sensor[1].address`, `display`: what `ConfigProblem.keyPath` looks like.
    var isKeyPath: Bool {
        guard let first = text.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.[]-".contains($0)) }
    }

    func isNamed(by problem: Problem) -> Bool {
        if let line, problem.line != line { return false }
        return isKeyPath ? problem.text.hasPrefix(text + ": ") : problem.text.contains(text)
    }

    var description: String { line.map { "'\(text)' at line \($0)" } ?? "'\(text)'" }
}

/// One line of a `CheckConfig` report: `FILE:LINE: key.path: message`, `FILE:LINE: message`
/// (syntax errors) or `FILE: message` (unreadable file).
private struct Problem {
    var line: Int?
    /// After `FILE:LINE: `: `key.path: message`, or the message alone.
    var text: Substring

    static func all(in report: String, path: String) -> [Problem] {
        report.split(separator: "\n").compactMap { entry -> Problem? in
            guard entry.hasPrefix(path + ":") else { return nil }
            var rest = entry.dropFirst(path.count + 1)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            var line: Int?
            if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(":") {
                line = Int(digits)
                rest = rest.dropFirst(digits.count + 1)
            }
            guard rest.hasPrefix(" ") else { return nil }
            return Problem(line: line, text: rest.dropFirst())
        }
    }
}
