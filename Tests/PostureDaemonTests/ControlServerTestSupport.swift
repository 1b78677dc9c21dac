import Glibc
import Logging
import PostureControl
import PostureCore
import XCTest

@testable import PostureDaemon

/// The daemon's side of the control socket, faked: an actor, as `DaemonCore` will be one
/// (or call into one), so the server is exercised against real actor hops.
actor FakeControlHandler: ControlHandler {
    private(set) var snoozes: [Double?] = []
    private(set) var resumes = 0
    private(set) var testNudges: [NudgeReason?] = []
    private(set) var reloads = 0
    private(set) var rawStreamsTerminated = 0
    /// Samples per batch of `rawSamples()`: big batches fill a non-reading client's buffers fast.
    var batchSize = 50

    /// How many times `latestFrame()` is asked before its time moves on: 1 is a supervisor
    /// with a new report every time, 2 one that takes reports at half the watch rate.
    var framesPerReport = 1
    private var frameRequests = 0

    func setBatchSize(_ size: Int) { batchSize = size }
    func setFramesPerReport(_ count: Int) { framesPerReport = count }

    func status() async -> StatusReport { MessageFixtures.status }

    func latestFrame() async -> WatchFrame? {
        defer { frameRequests += 1 }
        return WatchFrame(
            t: 1 + 0.02 * Double(frameRequests / framesPerReport),
            angles: AngleReading(pelvicTilt: -18, pelvicObliquity: 0.5, lumbarFlexion: nil), activity: .sitting,
            slouching: false, boutSeconds: 42, snoozeRemainingSeconds: nil, calibrated: true)
    }

    func calibrate(progress: @escaping @Sendable (CalibrationProgress) -> Void) async throws(ControlError) -> CalibrationReport {
        for phase in CalibrationPose.allCases {
            progress(CalibrationProgress(phase: phase, state: .prompt, remainingSeconds: 0, progress: 0, message: "Hold still"))
            progress(CalibrationProgress(phase: phase, state: .capturing, remainingSeconds: 0.1, progress: 0.5, message: "Hold still"))
            let stillness = PoseStillness(
                stillSeconds: 4.5, windowSeconds: 6, fromSeconds: 1.5,
                motion: MotionReading(sensor: 0, measure: .gyroRMS, measured: 0.02, allowed: 0.15))
            progress(CalibrationProgress(
                phase: phase, state: .done, remainingSeconds: 0, progress: 1, message: "Done", stillness: stillness))
        }
        return CalibrationReport(
            sitting: AngleReading(pelvicTilt: -17, pelvicObliquity: 0.2, lumbarFlexion: nil),
            sensors: [SensorCalibrationSummary(index: 0, lateralAxis: .measured, standToSitDegrees: 17, correctionFromPriorDegrees: 20)],
            savedTo: nil)
    }

    func snooze(seconds: Double?) async throws(ControlError) -> SnoozeResult {
        snoozes.append(seconds)
        return SnoozeResult(remainingSeconds: seconds ?? 1800)
    }

    func resume() async throws(ControlError) -> ResumeResult {
        resumes += 1
        return ResumeResult(wasSnoozed: !snoozes.isEmpty)
    }

    func testNudge(reason: NudgeReason?) async throws(ControlError) -> TestNudgeResult {
        testNudges.append(reason)
        return TestNudgeResult(reason: reason ?? .slouch, indicators: ["fake"])
    }

    func reload() async throws(ControlError) -> ReloadResult {
        reloads += 1
        throw ControlError(.failed, "postured.toml:3: unknown option 'sloch'")
    }

    func rawSamples() async throws(ControlError) -> AsyncThrowingStream<[IMUSample], any Error> {
        let size = batchSize
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: [IMUSample].self, throwing: (any Error).self, bufferingPolicy: .bufferingNewest(4))
        let producer = Task {
            var t = 0.0
            while !Task.isCancelled {
                let batch = (0..<size).map { k in
                    IMUSample(t: t + Double(k) * 0.01, sensor: 0, accel: Vector3(9.81, 0.02, -0.08), gyro: Vector3(0.001, -0.002, 0))
                }
                t += Double(size) * 0.01
                if case .terminated = continuation.yield(batch) { return }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        continuation.onTermination = { _ in
            producer.cancel()
            Task { await self.noteTermination() }
        }
        return stream
    }

    private func noteTermination() { rawStreamsTerminated += 1 }
}

enum MessageFixtures {
    static let status = StatusReport(
        daemonVersion: "test", uptimeSeconds: 12,
        sensors: [SensorStatus(index: 0, chip: "MPU-6050", bus: "simulated", address: 0x68, health: SensorHealth(state: .ok))],
        sampling: SamplingStatus(rateHz: 100, overruns: 0, droppedReports: 0), calibrated: true, activity: .standing,
        angles: AngleReading(pelvicTilt: 1, pelvicObliquity: 0, lumbarFlexion: nil), slouching: false, boutSeconds: nil,
        snoozeRemainingSeconds: nil, nudgesToday: NudgeCounts(), lastNudge: nil,
        store: StoreStatus(path: "/tmp/daylog.sqlite3", lastWriteAgoSeconds: nil), clockTrusted: false)
}

/// A blocking client with timeouts, for synchronous tests (the test thread may block; the
/// server's tasks run on the cooperative pool).
final class TestClient {
    let fd: Int32
    private var framer = LineFramer(maxLineBytes: 1 << 20)
    private var nextID = 1

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard let address = UnixSocketAddress(path: path) else { throw TestError("bad path") }
        let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            Glibc.close(fd)
            throw TestError("connect \(path): errno \(errno)")
        }
    }

    deinit { Glibc.close(fd) }

    func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    @discardableResult
    func send(_ command: ControlCommand) -> RequestID {
        let id = RequestID.number(nextID)
        nextID += 1
        sendRaw(ControlRequest(id: id, command: command).encodedLine())
        return id
    }

    /// The next line, or `nil` on end of stream / timeout.
    func readLine(timeout: Double = 2) -> [UInt8]? {
        let deadline = Self.now() + timeout
        while true {
            if case .line(let line)? = framer.nextLine() { return line }
            let remaining = deadline - Self.now()
            guard remaining > 0 else { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(remaining * 1000) + 1) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            framer.append(buffer[..<n])
        }
    }

    func readMessage(timeout: Double = 2) throws -> ReceivedMessage {
        guard let line = readLine(timeout: timeout) else { throw TestError("no message within \(timeout) s") }
        return try ReceivedMessage(line: line)
    }

    /// Sends a request and returns its final message.
    func call(_ command: ControlCommand) throws -> ReceivedMessage {
        let id = send(command)
        while true {
            let message = try readMessage()
            if message.id == id && message.isFinal { return message }
        }
    }

    /// Reads until end of stream; `true` if it came within `timeout`.
    func drainUntilClosed(timeout: Double) -> Bool {
        let deadline = Self.now() + timeout
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while Self.now() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return true }
        }
        return false
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A temporary directory for sockets; short, since a socket path has at most 107 bytes.
final class SocketDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/pctl-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestError("mkdtemp failed")
        }
        path = String(cString: made)
    }

    var socketPath: String { path + "/control.sock" }

    deinit {
        _ = unlink(socketPath)
        _ = rmdir(path)
    }
}

/// A server running in a task, stopped (and awaited) by `stop()`.
final class RunningServer {
    let server: ControlServer
    let task: Task<Void, any Error>

    init(path: String, handler: any ControlHandler, outputBufferLimit: Int = 256 * 1024) throws {
        var logger = Logger(label: "control-test")
        logger.logLevel = .critical
        server = ControlServer(
            configuration: ControlServerConfiguration(path: path, group: nil, outputBufferLimit: outputBufferLimit),
            handler: handler, logger: logger)
        try server.bind()  // bound before return: clients can connect at once
        let server = server
        task = Task { try await server.run() }
    }

    /// Cancels and waits until `run()` returned.
    func stop(_ test: XCTestCase) {
        task.cancel()
        let done = test.expectation(description: "server stopped")
        let task = task
        Task {
            _ = try? await task.value
            done.fulfill()
        }
        test.wait(for: [done], timeout: 3)
    }
}
