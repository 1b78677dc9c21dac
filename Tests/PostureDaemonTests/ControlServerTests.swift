import Glibc
import Logging
import PostureControl
import PostureCore
import ServiceLifecycle
import XCTest

@testable import PostureDaemon

/// The control server on a real Unix socket in a temporary directory. Tests are synchronous
/// so the blocking test client never occupies a thread of the cooperative pool.
final class ControlServerTests: XCTestCase {
    func testStatusRoundTrip() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)
        let reply = try client.call(.status)
        XCTAssertTrue(reply.ok)
        XCTAssertEqual(try reply.payload(StatusReport.self), MessageFixtures.status)
    }

    func testSocketModeIsSet() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        var info = stat()
        XCTAssertEqual(lstat(directory.socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o777, 0o660)
    }

    func testWatchDeliversFramesAtAboutTheRequestedRate() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)
        let start = TestClient.now()
        let id = client.send(.watch(rate: 40, count: 16))
        var frames = 0
        while true {
            let message = try client.readMessage()
            XCTAssertEqual(message.id, id)
            if message.isFinal {
                XCTAssertEqual(try message.payload(WatchSummary.self), WatchSummary(frames: 16, rateHz: 40))
                break
            }
            XCTAssertEqual(message.event, .frame)
            XCTAssertEqual(try message.payload(WatchFrame.self).activity, .sitting)
            frames += 1
        }
        let elapsed = TestClient.now() - start
        XCTAssertEqual(frames, 16)
        // 15 intervals of 25 ms = 0.375 s; loose bounds for a loaded 2-core machine.
        XCTAssertGreaterThan(elapsed, 0.3)
        XCTAssertLessThan(elapsed, 1.5)
    }

    /// `watch --rate 50` on a supervisor that has a new report for every other frame: each
    /// frame once, never the same one twice.
    func testWatchNeverSendsTheSameFrameTwice() throws {
        let directory = try SocketDirectory()
        let handler = FakeControlHandler()
        let running = try RunningServer(path: directory.socketPath, handler: handler)
        defer { running.stop(self) }
        let configured = expectation(description: "slow reports")
        Task {
            await handler.setFramesPerReport(2)
            configured.fulfill()
        }
        wait(for: [configured], timeout: 5)
        let client = try TestClient(path: directory.socketPath)
        let id = client.send(.watch(rate: 50, count: 10))
        var times: [Double] = []
        while true {
            let message = try client.readMessage()
            guard message.id == id, !message.isFinal else { break }
            times.append(try message.payload(WatchFrame.self).t)
        }
        XCTAssertEqual(times.count, 10)
        XCTAssertEqual(Set(times).count, times.count, "a frame sent twice: \(times)")
    }

    func testWatchRateIsClampedTo50Hz() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)
        client.sendRaw(Array(#"{"v":1,"id":1,"verb":"watch","args":{"rate":1000,"count":3}}"#.utf8) + [10])
        var summary: WatchSummary?
        while summary == nil {
            let message = try client.readMessage()
            if message.isFinal { summary = try message.payload(WatchSummary.self) }
        }
        XCTAssertEqual(summary?.rateHz, 50)
    }

    func testClientThatNeverReadsIsDroppedWhileOthersAreServed() throws {
        let directory = try SocketDirectory()
        let handler = FakeControlHandler()
        let running = try RunningServer(path: directory.socketPath, handler: handler, outputBufferLimit: 32 * 1024)
        defer { running.stop(self) }
        let configured = expectation(description: "batch size set")
        Task {
            await handler.setBatchSize(400)  // ~40 KB a batch
            configured.fulfill()
        }
        wait(for: [configured], timeout: 2)

        let stalled = try TestClient(path: directory.socketPath)
        stalled.send(.record)  // and never reads
        let healthy = try TestClient(path: directory.socketPath)
        for _ in 0..<20 {
            let start = TestClient.now()
            XCTAssertTrue(try healthy.call(.status).ok)
            XCTAssertLessThan(TestClient.now() - start, 0.5, "a stalled client must not slow the others")
            usleep(20_000)
        }
        XCTAssertTrue(try healthy.call(.status).ok)
        // Its recording was ended (with a final message it may never read, or by disconnecting
        // it once that no longer fits): it holds at most the output limit, not a growing queue.

        // The handler's sample stream was terminated with the client.
        let terminated = expectation(description: "raw stream terminated")
        Task {
            for _ in 0..<100 {
                if await handler.rawStreamsTerminated > 0 { break }
                try? await Task.sleep(for: .milliseconds(10))
            }
            if await handler.rawStreamsTerminated > 0 { terminated.fulfill() }
        }
        wait(for: [terminated], timeout: 3)
    }

    /// A client that reads, but too slowly for the stream (posturectl record on a daemon sped
    /// up): before, it was cut off for a full queue and then said "no samples arrived within
    /// 5 s". Now the recording ends with a final message saying why, and the connection stays.
    func testASlowRecordingEndsSayingWhy() throws {
        let directory = try SocketDirectory()
        let handler = FakeControlHandler()
        let running = try RunningServer(path: directory.socketPath, handler: handler, outputBufferLimit: 256 * 1024)
        defer { running.stop(self) }
        let configured = expectation(description: "batch size set")
        Task {
            await handler.setBatchSize(200)  // ~20 KB a batch, every 2 ms: far more than a slow reader takes
            configured.fulfill()
        }
        wait(for: [configured], timeout: 2)

        let slow = try TestClient(path: directory.socketPath)
        let id = slow.send(.record)
        var final: ReceivedMessage?
        var batches = 0
        let deadline = TestClient.now() + 10
        while final == nil, TestClient.now() < deadline {
            usleep(20_000)  // reads one line every 20 ms
            let message = try slow.readMessage(timeout: 3)
            guard message.id == id else { continue }
            if message.isFinal { final = message } else { batches += 1 }
        }
        let ended = try XCTUnwrap(final, "the recording never ended")
        XCTAssertEqual(ended.error?.code, .unavailable)
        XCTAssertTrue(ended.error?.message.contains("read too slowly") ?? false, "\(String(describing: ended.error))")
        XCTAssertGreaterThan(batches, 0)
        XCTAssertTrue(try slow.call(.status).ok, "the connection was kept: the client could be told")
        print("slow record client: \(batches) batches read, then: \(ended.error?.message ?? "")")
    }

    func testStateChangingVerbsAreAllowedForTheOwnUID() throws {
        let directory = try SocketDirectory()
        let handler = FakeControlHandler()
        let running = try RunningServer(path: directory.socketPath, handler: handler)
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)

        XCTAssertEqual(try client.call(.snooze(seconds: 1800)).payload(SnoozeResult.self), SnoozeResult(remainingSeconds: 1800))
        XCTAssertEqual(try client.call(.resume).payload(ResumeResult.self), ResumeResult(wasSnoozed: true))
        XCTAssertEqual(try client.call(.testNudge(reason: .sittingTooLong)).payload(TestNudgeResult.self).reason, .sittingTooLong)
        let reload = try client.call(.reload)
        XCTAssertFalse(reload.ok)
        XCTAssertEqual(reload.error, ControlError(.failed, "postured.toml:3: unknown option 'sloch'"), "the handler's error reaches the client")

        let id = client.send(.calibrate)
        var states: [CalibrationProgress.State] = []
        while true {
            let message = try client.readMessage()
            XCTAssertEqual(message.id, id)
            if message.isFinal {
                XCTAssertEqual(try message.payload(CalibrationReport.self).sitting.pelvicTilt, -17)
                break
            }
            let progress = try message.payload(CalibrationProgress.self)
            states.append(progress.state)
            if progress.state == .done {
                // Each pose is confirmed as it is taken, with how still and for how long.
                XCTAssertEqual(progress.stillness?.stillSeconds, 4.5, "\(progress.phase)")
                XCTAssertEqual(progress.stillness?.windowSeconds, 6)
            }
        }
        XCTAssertEqual(states, [.prompt, .capturing, .done, .prompt, .capturing, .done])

        let recorded = expectation(description: "handler saw the calls")
        Task {
            let snoozes = await handler.snoozes, nudges = await handler.testNudges
            XCTAssertEqual(snoozes, [1800])
            XCTAssertEqual(nudges, [.sittingTooLong])
            recorded.fulfill()
        }
        wait(for: [recorded], timeout: 2)
    }

    func testProtocolErrorsOverTheSocket() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)
        client.sendRaw(Array(#"{"v":1,"id":5,"verb":"statu"}"#.utf8) + [10])
        let unknown = try client.readMessage()
        XCTAssertEqual(unknown.id, .number(5))
        XCTAssertEqual(unknown.error?.code, .unknownVerb)
        XCTAssertTrue(unknown.error?.message.contains("did you mean 'status'") == true)
        client.sendRaw(Array("not json\n".utf8))
        XCTAssertEqual(try client.readMessage().error?.code, .malformed)
        XCTAssertTrue(try client.call(.status).ok, "the connection survives bad requests")

        client.sendRaw(Array(repeating: UInt8(ascii: "x"), count: ControlProtocol.maxLineBytes + 10))
        XCTAssertEqual(try client.readMessage().error?.code, .lineTooLong)
        XCTAssertNil(client.readLine(timeout: 2), "then the server closes the connection")
    }

    func testHalfClosedClientStillGetsItsReply() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let client = try TestClient(path: directory.socketPath)
        client.send(.status)
        shutdown(client.fd, Int32(SHUT_WR))  // like `echo … | socat - UNIX:…`
        XCTAssertTrue(try client.readMessage().ok)
        XCTAssertNil(client.readLine(timeout: 2), "closed once the reply is out")
    }

    func testSocketInUseIsRefused() throws {
        let directory = try SocketDirectory()
        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        let second = ControlServer(
            configuration: ControlServerConfiguration(path: directory.socketPath, group: nil),
            handler: FakeControlHandler(), logger: Logger(label: "test"))
        XCTAssertThrowsError(try second.bind()) {
            XCTAssertEqual($0 as? ControlServerError, .socketInUse(path: directory.socketPath))
        }
        XCTAssertTrue(try TestClient(path: directory.socketPath).call(.status).ok, "the first server is untouched")
    }

    func testStaleSocketIsReplaced() throws {
        let directory = try SocketDirectory()
        // A socket file nobody listens on, as a crashed daemon leaves it.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        _ = UnixSocketAddress(path: directory.socketPath)!.withSockAddr { Glibc.bind(fd, $0, $1) }
        close(fd)
        XCTAssertEqual(try ControlSyscall.pathKind(directory.socketPath), .socket)

        let running = try RunningServer(path: directory.socketPath, handler: FakeControlHandler())
        defer { running.stop(self) }
        XCTAssertTrue(try TestClient(path: directory.socketPath).call(.status).ok)
    }

    func testPathThatIsNotASocketIsRefusedAndKept() throws {
        let directory = try SocketDirectory()
        let file = fopen(directory.socketPath, "w")
        fputs("precious", file)
        fclose(file)
        let server = ControlServer(
            configuration: ControlServerConfiguration(path: directory.socketPath, group: nil),
            handler: FakeControlHandler(), logger: Logger(label: "test"))
        XCTAssertThrowsError(try server.bind()) {
            XCTAssertEqual($0 as? ControlServerError, .notASocket(path: directory.socketPath))
            XCTAssertTrue("\($0)".contains("exists and is not a socket"))
        }
        XCTAssertEqual(try ControlSyscall.pathKind(directory.socketPath), .other)
    }

    func testGracefulShutdownClosesClientsAndUnlinksTheSocket() throws {
        let directory = try SocketDirectory()
        var logger = Logger(label: "control-test")
        logger.logLevel = .critical
        let server = ControlServer(
            configuration: ControlServerConfiguration(path: directory.socketPath, group: nil),
            handler: FakeControlHandler(), logger: logger)
        try server.bind()
        let group = ServiceGroup(services: [server], logger: logger)
        let finished = expectation(description: "service group returned")
        Task {
            try await group.run()
            finished.fulfill()
        }
        let watcher = try TestClient(path: directory.socketPath)
        watcher.send(.watch(rate: 10, count: nil))
        XCTAssertNotNil(watcher.readLine(), "the watch is streaming")

        let start = TestClient.now()
        Task { await group.triggerGracefulShutdown() }
        wait(for: [finished], timeout: 3)
        XCTAssertLessThan(TestClient.now() - start, 1, "a running watch does not hold up shutdown")
        XCTAssertEqual(try ControlSyscall.pathKind(directory.socketPath), .missing)
        XCTAssertTrue(watcher.drainUntilClosed(timeout: 1))
    }

    func testPeerAuthorization() {
        let own = PeerAuthorization(ownUID: 1000, groupID: nil)
        XCTAssertTrue(own.allowsStateChanges(PeerCredentials(pid: 1, uid: 0, gid: 0)), "root")
        XCTAssertTrue(own.allowsStateChanges(PeerCredentials(pid: 1, uid: 1000, gid: 1000)), "the daemon's user")
        XCTAssertFalse(own.allowsStateChanges(PeerCredentials(pid: 1, uid: 1001, gid: 1001)))
        let grouped = PeerAuthorization(ownUID: 1000, groupID: 990)
        XCTAssertTrue(grouped.allowsStateChanges(PeerCredentials(pid: 1, uid: 1001, gid: 990)), "primary group")
        XCTAssertEqual(
            PeerAuthorization.parseGroupsLine("Name:\tx\nUid:\t1001\t1001\t1001\t1001\nGroups:\t4 24 990 \n"), [4, 24, 990])
        XCTAssertEqual(PeerAuthorization.firstField(of: "Uid:", in: "Uid:\t1001\t1001\t1001\t1001\n"), 1001)
    }
}
