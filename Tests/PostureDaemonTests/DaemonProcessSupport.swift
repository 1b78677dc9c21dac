import Foundation
import Synchronization
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `postured` (and `posturectl`) binaries built with the tests, in a temporary
/// state and runtime directory, with a NOTIFY_SOCKET the test owns: the daemon exactly as
/// systemd would start it, minus systemd.
final class DaemonHarness {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shippedConfig = packageRoot.appendingPathComponent("config/postured.toml").path

    let directory: URL
    var stateDirectory: String { directory.appendingPathComponent("state").path }
    var runtimeDirectory: String { directory.appendingPathComponent("run").path }
    var socketPath: String { runtimeDirectory + "/control.sock" }
    var dayLogPath: String { stateDirectory + "/daylog.sqlite3" }
    let notify: NotifyListener
    private(set) var process: Process?
    /// A new pipe for every `start`: the last process closed the old one.
    private var output = Pipe()
    private let collected = OutputCollector()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("postured-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory.appendingPathComponent("state").path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.appendingPathComponent("run").path, withIntermediateDirectories: true)
        notify = try NotifyListener(path: directory.appendingPathComponent("notify.sock").path)
    }

    deinit {
        if let process, process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// An executable built next to the test bundle, or a skip.
    static func binary(_ name: String) throws -> URL {
        var directories: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let argument = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("\(name) not found next to the test bundle; build it with the tests (swift build --build-tests)")
    }

    /// Starts `postured ARGS --state-dir … --runtime-dir … --foreground`.
    func start(_ arguments: [String], runtimeDirectory runtimeOverride: String? = nil) throws {
        let process = Process()
        output = Pipe()
        process.executableURL = try Self.binary("postured")
        process.arguments = arguments + [
            "--state-dir", stateDirectory, "--runtime-dir", runtimeOverride ?? runtimeDirectory, "--foreground",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment.removeValue(forKey: "STATE_DIRECTORY")
        environment.removeValue(forKey: "RUNTIME_DIRECTORY")
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        let collected = collected
        output.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        self.process = process
    }

    /// The running daemon's process id.
    var pid: Int32? { process.map(\.processIdentifier) }

    /// Everything the daemon printed so far.
    var log: String { collected.text }

    /// Waits for the daemon to exit; returns its status, or nil on timeout.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        guard let process else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func signal(_ number: Int32) {
        if let process, process.isRunning { kill(process.processIdentifier, number) }
    }

    /// The posturectl that `posturectl(_:)` runs: the built product unless set.
    var posturectlBinary: URL?

    /// Makes `posturectl(_:)` run postured through a link named posturectl, as installed.
    func usePosturectlAsInstalled() throws {
        let link = directory.appendingPathComponent("bin/posturectl")
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: try Self.binary("postured"))
        posturectlBinary = link
    }

    /// Runs `posturectl ARGS`, returning its status and output.
    func posturectl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runToCompletion(posturectlBinary ?? Self.binary("posturectl"), arguments)
    }
}

/// Runs a program to its end: its status and all it printed (standard output and error
/// together), with `input`, when given, as its standard input.
func runToCompletion(_ tool: URL, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = tool
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// What a child process printed, appended from the pipe's reader thread.
final class OutputCollector: Sendable {
    private let data = Mutex(Data())

    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}

/// The receiving end of `NOTIFY_SOCKET`: an AF_UNIX datagram socket, as systemd provides.
final class NotifyListener {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit { close(fd) }

    /// The next datagram within `timeout`, or nil.
    func next(timeout: TimeInterval) -> String? {
        var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pollfd, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    /// Waits for a datagram containing `needle` (e.g. "READY=1"); returns it, or nil.
    func waitFor(_ needle: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let message = next(timeout: deadline.timeIntervalSinceNow), message.contains(needle) { return message }
        }
        return nil
    }
}
